#!/usr/bin/env bash
# What the container image runs, checked without a Docker engine (none runs on these machines).
# It repeats the Dockerfile's steps on this machine and checks their result:
#   1. the build stage: `npm run build` (compiled JavaScript plus the files the roles read);
#   2. the runtime stage: `npm ci --omit=dev --omit=optional` of package.json + package-lock.json beside dist/,
#      and no dev tool in it (dev IdP, mail catcher, Prisma CLI, TypeScript, test runners);
#   3. the migrate Job: `prisma migrate deploy` into a fresh database;
#   4. each role started alone from the compiled output, as its pod starts it, with
#      NODE_ENV=production, answering /healthz and /readyz (the probes), the api its portal page
#      and assets, the soap role a SOAP fault for a malformed request.
# Then the Dockerfile lint (dockerfile-utils). Cleans up what it made.
#
# Usage: infra/deploy/check-image.sh   (CHECK_IMAGE_PORT_BASE=3940, SKIP_BUILD=1 to reuse dist/)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD

admin_url=${TEST_ADMIN_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
redis_url=${TEST_REDIS_URL:-redis://127.0.0.1:6379/0}
port_base=${CHECK_IMAGE_PORT_BASE:-3940}
db="pontepa_image_$(date +%s)_$$"
prefix="pontepa-image-$db"
work=$(mktemp -d /tmp/pontepa-image.XXXXXX)
pids=()

say() { printf '::: check-image: %s\n' "$*"; }
fail() { say "FAILED: $*"; exit 1; }

cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  psql "$admin_url" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  redis-cli -u "$redis_url" --scan --pattern "$prefix*" 2>/dev/null | xargs -r redis-cli -u "$redis_url" del >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# 1. Build stage.
if [ -z "${SKIP_BUILD:-}" ]; then say "npm run build"; npm run build --silent; fi
[ -f dist/server/main.js ] || fail "dist/server/main.js missing"
if find dist -path '*/test/*' -o -name '*.test.js' | grep -q .; then fail "dist carries tests or test harnesses"; fi
[ ! -e dist/infra ] || fail "dist carries infra/"

# 2. Runtime stage: production dependencies only.
say "npm ci --omit=dev in $work"
cp package.json package-lock.json "$work/"
cp -r dist "$work/dist"
# --omit=optional as well: the Prisma CLI and TypeScript are optional peers of @prisma/client,
# which npm installs unless both dev and optional are omitted; the other optional packages are
# native speed-ups or polyfills the platform does without (docs/operations.md).
(cd "$work" && npm ci --omit=dev --omit=optional --ignore-scripts --prefer-offline --no-audit --no-fund --loglevel=error)
for dev in oidc-provider smtp-server mailparser prisma typescript tsx vitest eslint @playwright/test; do
  [ ! -e "$work/node_modules/$dev" ] || fail "the production install carries the dev tool $dev"
done

# 3. Migrate Job, into a fresh database.
owner_url="${admin_url%/*}/$db"
app_url=$(node -e 'const u = new URL(process.argv[1]); u.username = "pontepa_app"; u.password = ""; console.log(u.toString())' "$owner_url")
psql "$admin_url" -qc "CREATE DATABASE $db" >/dev/null
say "prisma migrate deploy into $db"
MIGRATE_DATABASE_URL=$owner_url PRISMA_SCHEMA_ENGINE_BINARY=/bin/true PRISMA_QUERY_ENGINE_LIBRARY=/bin/true \
  PRISMA_HIDE_UPDATE_MESSAGE=1 npx prisma migrate deploy >/dev/null

# 4. Each role alone, as in its pod.
secret() { node -e 'console.log(require("node:crypto").randomBytes(24).toString("base64url"))'; }
export NODE_ENV=production LOG_LEVEL=warn DATABASE_URL=$app_url MIGRATE_DATABASE_URL=$owner_url REDIS_URL=$redis_url \
  QUEUE_PREFIX=$prefix HOST=127.0.0.1 API_PORT=$port_base SOAP_PORT=$((port_base + 1)) \
  WORKER_METRICS_PORT=$((port_base + 2)) SCHEDULER_HEALTH_PORT=$((port_base + 3)) \
  SPID_SP_KEY_DIR="$work/spid-sp" SPID_IDP_REGISTRY=https://registry.spid.gov.it/entities-idp SPID_IDP_REGISTRY_CERT="$work/agid-registry.pem" \
  PUBLIC_BASE_URL=https://pagamenti.example.invalid OIDC_ISSUER_URL=https://login.example.invalid/realms/pontepa \
  CHECKOUT_BASE_URL=https://api.platform.pagopa.it/checkout/ec/v2 SMTP_URL=smtp://smtp.example.invalid \
  PAGOPA_BACKOFFICE_URL=https://api.platform.pagopa.it/backoffice/external/ec/v1 \
  FDR_BASE_URL=https://api.platform.pagopa.it/fdr-org/service/v1 \
  NODE_FOR_PA_URL=https://api.platform.pagopa.it/nodo/nodo-per-pa/v1 \
  PAGOPA_BIZEVENTS_URL=https://api.platform.pagopa.it/bizevents/service/v1 \
  PAGOPA_ACA_URL=https://api.platform.pagopa.it/aca/debt-positions-service/v1 \
  STAFF_SESSION_SECRET=$(secret) OIDC_BACKOFFICE_CLIENT_SECRET=$(secret) \
  OIDC_ADMIN_CLIENT_SECRET=$(secret) IUV_PERMUTATION_SECRET=$(secret)

# Waits until $1 answers 200 (roles start in a few seconds; a loaded machine needs more).
wait_ready() {
  for _ in $(seq 1 120); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.5
  done
  return 1
}

declare -A port_of=([api]=$API_PORT [soap]=$SOAP_PORT [worker]=$WORKER_METRICS_PORT [scheduler]=$SCHEDULER_HEALTH_PORT)
for role in api soap worker scheduler; do
  port=${port_of[$role]}
  (cd "$work" && exec node dist/server/main.js --role=$role) >"$work/$role.log" 2>&1 &
  pids+=($!)
  base="http://127.0.0.1:$port"
  wait_ready "$base/readyz" || { cat "$work/$role.log"; fail "$role did not answer /readyz on $port"; }
  curl -fsS -o /dev/null "$base/healthz" || fail "$role: /healthz"
  curl -fsS "$base/metrics" | grep -q '^process_cpu' || fail "$role: /metrics"
  say "$role ready on $port"
done

code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$API_PORT/")
[ "$code" = 200 ] || { cat "$work/api.log"; fail "api: the portal's home page answered $code"; }
curl -fsS -o /dev/null "http://127.0.0.1:$API_PORT/assets/app/app.css" || fail "api: portal assets missing from dist"
fault=$(curl -s -H 'content-type: text/xml' --data '<not-soap/>' "http://127.0.0.1:$SOAP_PORT/nodo/paForNode")
grep -q 'Fault' <<<"$fault" || fail "soap: no SOAP fault for a malformed request: $fault"
say "api serves the portal from dist, soap answers a fault"

# The Dockerfile's lint: dockerfile-utils (the Docker language server's validator; hadolint is
# neither on npm nor in Debian). infra/deploy/dockerfile.test.ts runs it in npm test too.
lint=$(npx dockerfile-utils lint "$root/Dockerfile")
[ -z "$lint" ] || fail "Dockerfile lint: $lint"
say "Dockerfile lint passed"
say "OK"
