-- Hand-written: payment classifications are tenant-owned like every council's row
-- (same policy as prisma/migrations/20261122000100_rls).
ALTER TABLE payment_classifications ENABLE ROW LEVEL SECURITY;
ALTER TABLE payment_classifications FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON payment_classifications
  USING (tenant_id = app_current_tenant() OR app_platform_scope())
  WITH CHECK (tenant_id = app_current_tenant() OR app_platform_scope());
