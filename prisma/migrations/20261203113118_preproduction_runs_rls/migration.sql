-- Hand-written: a council's pre-production test reports are tenant-owned like every council's row
-- (same policy as prisma/migrations/20261122000100_rls).
ALTER TABLE preproduction_runs ENABLE ROW LEVEL SECURITY;
ALTER TABLE preproduction_runs FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON preproduction_runs
  USING (tenant_id = app_current_tenant() OR app_platform_scope())
  WITH CHECK (tenant_id = app_current_tenant() OR app_platform_scope());
