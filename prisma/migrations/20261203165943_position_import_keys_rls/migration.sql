-- Hand-written: a position's import keys are tenant-owned like the position
-- (same policy as prisma/migrations/20261122000100_rls).
ALTER TABLE position_import_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE position_import_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON position_import_keys
  USING (tenant_id = app_current_tenant() OR app_platform_scope())
  WITH CHECK (tenant_id = app_current_tenant() OR app_platform_scope());
