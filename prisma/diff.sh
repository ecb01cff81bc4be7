#!/usr/bin/env bash
# npm run db:diff -- <name>: generates a migration from the change of prisma/schema.prisma since
# HEAD (Prisma's own diff; no database needed beyond the adapter's connection).
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:?usage: npm run db:diff -- <migration_name>}
old=$(mktemp --suffix=.prisma)
git show HEAD:prisma/schema.prisma > "$old"
dir="prisma/migrations/$(date -u +%Y%m%d%H%M%S)_${name}"
mkdir -p "$dir"
PRISMA_SCHEMA_ENGINE_BINARY=${PRISMA_SCHEMA_ENGINE_BINARY:-/bin/true} \
PRISMA_QUERY_ENGINE_LIBRARY=${PRISMA_QUERY_ENGINE_LIBRARY:-/bin/true} \
npx prisma migrate diff --from-schema-datamodel "$old" --to-schema-datamodel prisma/schema.prisma --script > "$dir/migration.sql"
rm -f "$old"
echo "wrote $dir/migration.sql"
