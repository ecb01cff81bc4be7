-- Hand-written: what Prisma cannot express. Row-level security is the backstop of tenant
-- isolation: the platform connects as pontepa_app, a role RLS applies to, and every
-- tenant-owned row is visible only when the transaction's app.tenant_id names its tenant
-- (set by withTenant) or the transaction explicitly runs in platform scope (withPlatformScope:
-- routing, helpdesk, scheduler; every such use is greppable and audited by its caller).

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pontepa_app') THEN
    -- No password here: local trust auth needs none; deployments set one with ALTER ROLE.
    CREATE ROLE pontepa_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
END
$$;

CREATE FUNCTION app_current_tenant() RETURNS uuid
  LANGUAGE sql STABLE
  AS $$ SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid $$;

CREATE FUNCTION app_platform_scope() RETURNS boolean
  LANGUAGE sql STABLE
  AS $$ SELECT coalesce(current_setting('app.scope', true), '') = 'platform' $$;

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY[
    'iuv_sequences', 'creditor_accounts', 'payment_types', 'debt_positions',
    'payment_options', 'transfers', 'receipts', 'nodo_messages', 'memberships', 'audit_log'
  ] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I
         USING (tenant_id = app_current_tenant() OR app_platform_scope())
         WITH CHECK (tenant_id = app_current_tenant() OR app_platform_scope())', t);
  END LOOP;
END
$$;

GRANT USAGE ON SCHEMA public TO pontepa_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO pontepa_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO pontepa_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO pontepa_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO pontepa_app;
REVOKE ALL ON "_prisma_migrations" FROM pontepa_app;

-- The audit log is append-only, for the application and for the owner alike.
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM pontepa_app;
CREATE FUNCTION audit_log_append_only() RETURNS trigger
  LANGUAGE plpgsql
  AS $$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- Partial indexes for the hot paths that only look at open options and live locks.
CREATE INDEX payment_options_unpaid_due ON payment_options (tenant_id, due_date)
  WHERE status = 'UNPAID';
CREATE INDEX payment_options_live_lock ON payment_options (locked_until)
  WHERE locked_until IS NOT NULL;
