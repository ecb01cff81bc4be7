-- Hand-written: print runs are tenant-owned like every council's row
-- (same policy as prisma/migrations/20261122000100_rls).
ALTER TABLE print_runs ENABLE ROW LEVEL SECURITY;
ALTER TABLE print_runs FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON print_runs
  USING (tenant_id = app_current_tenant() OR app_platform_scope())
  WITH CHECK (tenant_id = app_current_tenant() OR app_platform_scope());
