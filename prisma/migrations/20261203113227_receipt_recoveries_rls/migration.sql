-- Hand-written: receipt recoveries are tenant-owned like every council's row (same policy as
-- prisma/migrations/20261122000100_rls). The recovery job lists due rows in platform scope.
ALTER TABLE receipt_recoveries ENABLE ROW LEVEL SECURITY;
ALTER TABLE receipt_recoveries FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON receipt_recoveries
  USING (tenant_id = app_current_tenant() OR app_platform_scope())
  WITH CHECK (tenant_id = app_current_tenant() OR app_platform_scope());
