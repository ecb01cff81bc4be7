#!/usr/bin/env bash
# npm test: every check, in order of speed. Integration tests use the real PostgreSQL and Redis
# (started or reused by infra/local/stack.ts) in a throwaway database per run.
set -uo pipefail
cd "$(dirname "$0")/../.."
bash infra/local/install.sh || exit 1
node --import tsx infra/local/stack.ts || exit 1

mkdir -p .tmp
rm -f .tmp/vitest.json .tmp/playwright.json
status=0
step() {
  local name=$1; shift
  echo "::: $name"
  if ! "$@"; then echo "::: $name FAILED"; status=1; fi
}
step typecheck npx tsc -p tsconfig.json --noEmit
step lint npx eslint . --max-warnings=0
step format npx prettier --check .
step "unit and integration tests" npx vitest run --reporter=default --reporter=json --outputFile.json=.tmp/vitest.json
if [ -d e2e ] && ls e2e/*.spec.ts >/dev/null 2>&1; then
  export PLAYWRIGHT_JSON_OUTPUT_NAME=.tmp/playwright.json
  step e2e npx playwright test --reporter=list,json
fi
ls e2e/*.spec.ts >/dev/null 2>&1 || export E2E_EXPECTED=0
node --import tsx infra/local/summary.ts .tmp/vitest.json .tmp/playwright.json
exit $status
