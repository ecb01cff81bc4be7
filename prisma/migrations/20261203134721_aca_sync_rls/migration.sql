-- Hand-written: a council's ACA alignment rows are tenant-owned like every council's row
-- (same policy as prisma/migrations/20261122000100_rls); the sync job reads them in platform scope.
ALTER TABLE aca_syncs ENABLE ROW LEVEL SECURITY;
ALTER TABLE aca_syncs FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON aca_syncs
  USING (tenant_id = app_current_tenant() OR app_platform_scope())
  WITH CHECK (tenant_id = app_current_tenant() OR app_platform_scope());

-- The sync's two scans: outbox events it has not read yet, and alignments due.
CREATE INDEX outbox_events_aca_unseen ON outbox_events (id) WHERE aca_seen_at IS NULL;
CREATE INDEX aca_syncs_due ON aca_syncs (next_attempt_at) WHERE pending;
