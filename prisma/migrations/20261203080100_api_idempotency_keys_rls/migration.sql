-- Hand-written: the REST API's idempotency keys are tenant-owned like every council's row
-- (same policy as prisma/migrations/20261122000100_rls). The purge job runs in platform scope.
ALTER TABLE api_idempotency_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE api_idempotency_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON api_idempotency_keys
  USING (tenant_id = app_current_tenant() OR app_platform_scope())
  WITH CHECK (tenant_id = app_current_tenant() OR app_platform_scope());
