-- Hand-written: a council's profile is tenant-owned like every council's row
-- (same policy as prisma/migrations/20261122000100_rls).
ALTER TABLE council_profiles ENABLE ROW LEVEL SECURITY;
ALTER TABLE council_profiles FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON council_profiles
  USING (tenant_id = app_current_tenant() OR app_platform_scope())
  WITH CHECK (tenant_id = app_current_tenant() OR app_platform_scope());
-- The Region's catalogue is platform data: only a platform-scope transaction writes it; a
-- council's transaction reads the published templates (it copies them into its own types).
ALTER TABLE service_templates ENABLE ROW LEVEL SECURITY;
ALTER TABLE service_templates FORCE ROW LEVEL SECURITY;
CREATE POLICY read_published ON service_templates FOR SELECT
  USING (published OR app_platform_scope());
CREATE POLICY platform_writes ON service_templates
  USING (app_platform_scope())
  WITH CHECK (app_platform_scope());
