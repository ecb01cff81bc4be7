#!/usr/bin/env bash
# Installs the npm dependencies (when package-lock.json changed since the last install) and
# the Debian packages the platform and its tests need (Chromium for PDFs and e2e, zbar and
# poppler and libdmtx for notice tests, xmllint for SOAP schema checks), when running as root.
set -euo pipefail
cd "$(dirname "$0")/../.."

stamp=node_modules/.pontepa-lock-hash
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "[install] npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi

missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v zbarimg >/dev/null || missing+=(zbar-tools)
command -v pdftoppm >/dev/null || missing+=(poppler-utils)
command -v xmllint >/dev/null || missing+=(libxml2-utils)
command -v dmtxread >/dev/null || missing+=(dmtx-utils)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "[install] apt-get install ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" fonts-dejavu-core fonts-liberation2 >/dev/null
  else
    echo "[install] missing Debian packages: ${missing[*]} (sudo apt-get install -y ${missing[*]})" >&2
    exit 1
  fi
fi

# The Prisma client is generated from prisma/schema.prisma (not committed).
PRISMA_SCHEMA_ENGINE_BINARY=${PRISMA_SCHEMA_ENGINE_BINARY:-/bin/true} \
PRISMA_QUERY_ENGINE_LIBRARY=${PRISMA_QUERY_ENGINE_LIBRARY:-/bin/true} \
PRISMA_HIDE_UPDATE_MESSAGE=1 npx prisma generate >/dev/null
