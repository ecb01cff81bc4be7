// Prints the plain closing line CI reads ("tests: N passed, N failed, N skipped") from the JSON
// reports of vitest (unit and integration) and Playwright (e2e). A missing report counts as a
// failure: a runner that crashed must not look like a green run.
import { existsSync, readFileSync } from "node:fs";

const [vitestFile = ".tmp/vitest.json", playwrightFile = ".tmp/playwright.json"] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;

if (existsSync(vitestFile)) {
  const v = JSON.parse(readFileSync(vitestFile, "utf8")) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
  };
  passed += v.numPassedTests;
  failed += v.numFailedTests;
  skipped += v.numPendingTests + v.numTodoTests;
} else {
  failed += 1;
}

const hasE2e = process.env.E2E_EXPECTED !== "0";
if (existsSync(playwrightFile)) {
  const p = JSON.parse(readFileSync(playwrightFile, "utf8")) as {
    stats: { expected: number; unexpected: number; flaky: number; skipped: number };
  };
  passed += p.stats.expected + p.stats.flaky;
  failed += p.stats.unexpected;
  skipped += p.stats.skipped;
} else if (hasE2e) {
  failed += 1;
}

console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
