#!/usr/bin/env bash
# npm run demo: install what is missing, then hand over to the TypeScript orchestrator.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash infra/local/install.sh
exec node --import tsx infra/local/demo.ts
