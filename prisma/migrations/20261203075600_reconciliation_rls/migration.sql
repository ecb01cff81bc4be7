-- Hand-written: tenant isolation for the reconciliation and treasury tables, as for every
-- tenant-owned table (see 20261122000100_rls). Grants come from the default privileges.
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY[
    'reporting_flows', 'reporting_rows', 'reconciliation_anomalies', 'treasury_imports', 'treasury_credits'
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

-- Rows still without a receipt are matched again on every run (a receipt may arrive late).
CREATE INDEX reporting_rows_unmatched ON reporting_rows (tenant_id) WHERE receipt_row_id IS NULL;
