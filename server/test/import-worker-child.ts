// A worker process for the import resume test: runs one import slowly (a pause before each
// chunk commits) so the test can SIGKILL it halfway, like a worker dying in production.
import { Database } from "../platform/db/database.ts";
import { processImport } from "../imports/index.ts";
import { silentLogger } from "./import-fixtures.ts";

const [url, tenantId, importId, chunk] = process.argv.slice(2);
const db = new Database({ url: url! });
await processImport(
  { db, config: { IMPORT_CHUNK_SIZE: Number(chunk), IMPORT_MAX_BYTES: 10_000_000 }, logger: silentLogger },
  tenantId!,
  importId!,
  { beforeCommit: () => new Promise((r) => setTimeout(r, 300)) },
);
await db.close();
