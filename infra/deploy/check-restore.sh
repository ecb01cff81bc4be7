#!/usr/bin/env bash
# The backup runbook's restore, tested (docs/operations.md, "Restore of a dump"): a migrated and
# seeded database is dumped with pg_dump, restored with pg_restore into a fresh database, and the
# copy must have the same rows in every table, the same row-level security policies, an
# up-to-date migration history, and behave the same for the application role (no rows outside a
# tenant scope, the council's rows inside it). Uses throwaway databases; drops them at the end.
#
# Usage: infra/deploy/check-restore.sh   (TEST_ADMIN_DATABASE_URL as for the integration tests)
set -euo pipefail
cd "$(dirname "$0")/../.."

admin_url=${TEST_ADMIN_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
stamp="$(date +%s)_$$"
source_db="pontepa_backup_$stamp"
restored_db="pontepa_restore_$stamp"
work=$(mktemp -d /tmp/pontepa-restore.XXXXXX)

say() { printf '::: check-restore: %s\n' "$*"; }
fail() { say "FAILED: $*"; exit 1; }
url_of() { echo "${admin_url%/*}/$1"; }
app_url_of() { node -e 'const u = new URL(process.argv[1]); u.username = "pontepa_app"; u.password = ""; console.log(u.toString())' "$(url_of "$1")"; }
cleanup() {
  for db in "$source_db" "$restored_db"; do psql "$admin_url" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT

export PRISMA_SCHEMA_ENGINE_BINARY=/bin/true PRISMA_QUERY_ENGINE_LIBRARY=/bin/true PRISMA_HIDE_UPDATE_MESSAGE=1

say "source: migrate and seed $source_db"
psql "$admin_url" -qc "CREATE DATABASE $source_db" >/dev/null
MIGRATE_DATABASE_URL=$(url_of "$source_db") npx prisma migrate deploy >/dev/null 2>&1
DATABASE_URL=$(app_url_of "$source_db") MIGRATE_DATABASE_URL=$(url_of "$source_db") npx tsx prisma/seed.ts >/dev/null

say "pg_dump, then pg_restore into $restored_db"
pg_dump --format=custom --no-owner --file="$work/pontepa.dump" "$(url_of "$source_db")"
psql "$admin_url" -qc "CREATE DATABASE $restored_db" >/dev/null
pg_restore --no-owner --exit-on-error --dbname="$(url_of "$restored_db")" "$work/pontepa.dump"

# Same rows in every table (exact counts), same policies, same grants to the application role.
inventory() {
  psql "$(url_of "$1")" -Atq <<'SQL'
SELECT 'rows ' || c.relname || ' ' ||
       (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I.%I', n.nspname, c.relname), false, true, '')))[1]::text
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1;
SELECT 'policy ' || tablename || ' ' || policyname || ' ' || cmd FROM pg_policies ORDER BY 1;
SELECT 'rls ' || relname || ' ' || relrowsecurity || ' ' || relforcerowsecurity
  FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' ORDER BY 1;
SELECT 'grant ' || table_name || ' ' || privilege_type FROM information_schema.role_table_grants
 WHERE grantee = 'pontepa_app' ORDER BY 1;
SQL
}
inventory "$source_db" >"$work/source.txt"
inventory "$restored_db" >"$work/restored.txt"
diff -u "$work/source.txt" "$work/restored.txt" || fail "the restored database differs from the source"
grep -q '^rows tenants [1-9]' "$work/restored.txt" || fail "the seed produced no tenants"
grep -q '^policy ' "$work/restored.txt" || fail "no row-level security policy in the restored database"
say "$(grep -c '^rows ' "$work/restored.txt") tables, $(grep -c '^policy ' "$work/restored.txt") policies, same rows and grants"

# The migration history came along: prisma sees nothing to apply.
status=$(MIGRATE_DATABASE_URL=$(url_of "$restored_db") npx prisma migrate status 2>&1) || { echo "$status"; fail "prisma migrate status"; }
grep -q "Database schema is up to date" <<<"$status" || { echo "$status"; fail "migrations not up to date"; }

# Smoke check as the application role: fail-closed outside a tenant scope, the council's rows inside.
app=$(app_url_of "$restored_db")
tenant=$(psql "$(url_of "$restored_db")" -Atqc "SELECT tenant_id FROM payment_types ORDER BY tenant_id LIMIT 1")
outside=$(psql "$app" -Atqc "SELECT count(*) FROM payment_types")
inside=$(psql "$app" -Atq -c "SELECT set_config('app.tenant_id', '$tenant', false)" -c "SELECT count(*) FROM payment_types" | tail -1)
[ "$outside" = 0 ] || fail "the application role sees $outside payment types outside a tenant scope"
[ "${inside:-0}" -gt 0 ] || fail "the application role sees no payment type of tenant $tenant inside its scope"
say "application role: 0 rows outside a tenant scope, $inside payment types inside one"
say "OK"
