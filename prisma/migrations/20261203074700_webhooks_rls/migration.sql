-- Hand-written: row-level security for the outbox and webhook tables, as for every tenant-owned
-- table (see 20261122000100_rls). The webhook relay reads across councils in platform scope.
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['outbox_events', 'webhook_endpoints', 'webhook_deliveries', 'webhook_attempts'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I
         USING (tenant_id = app_current_tenant() OR app_platform_scope())
         WITH CHECK (tenant_id = app_current_tenant() OR app_platform_scope())', t);
  END LOOP;
END
$$;

-- The relay looks only at events not yet fanned out and deliveries still to send.
CREATE INDEX outbox_events_unrelayed ON outbox_events (id) WHERE relayed_at IS NULL;
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'PENDING';
