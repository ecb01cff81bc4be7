// A worker process for the mass-print resume test: prints one run slowly (a pause before each
// part's checkpoint commits) so the test can SIGKILL it halfway, like a worker dying in production.
// It writes its Chromium's pid on stdout once the browser is up, for the test to check that the
// browser does not outlive it.
import { loadConfig } from "../config/env.ts";
import { Database } from "../platform/db/database.ts";
import { createChromiumPool } from "../platform/pdf/index.ts";
import { processPrintRun } from "../notices/mass-print/process-print-run.ts";
import { silentLogger } from "./import-fixtures.ts";

const [url, tenantId, runId, partSize] = process.argv.slice(2);
const db = new Database({ url: url! });
const pdf = createChromiumPool(loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" }));
await processPrintRun({ db, pdf, logger: silentLogger }, tenantId!, runId!, {
  partSize: Number(partSize),
  beforeCommit: (part) => {
    if (part === 1) process.stdout.write(`chromium ${pdf.browserPid()}\n`);
    return new Promise((r) => setTimeout(r, 500));
  },
});
await pdf.close();
await db.close();
