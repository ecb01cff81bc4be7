// A worker process for the "killed between commit and delivery" test: runs the webhook relay
// against the database in DATABASE_URL and is killed (SIGKILL) by the test while it waits for
// the receiver's answer. Nothing here catches the kill: that is the point.
import { Database } from "../../../platform/db/database.ts";
import { GuardedHttp } from "../../../platform/http/guarded-http.ts";
import { createLogger } from "../../../platform/observability/logger.ts";
import { runWebhookRelay } from "../../../webhooks/index.ts";

const db = new Database({ url: process.env.DATABASE_URL! });
const http = new GuardedHttp({ blockPrivate: false, timeoutMs: 60_000 });
await runWebhookRelay({
  db,
  http,
  mailer: { send: async () => undefined, close: () => undefined },
  logger: createLogger({ level: "silent", role: "test" }),
  config: {
    WEBHOOK_TIMEOUT_MS: 1_000,
    WEBHOOK_MAX_AGE_HOURS: 72,
    WEBHOOK_PAUSE_AFTER_FAILURES: 20,
    WEBHOOK_BATCH_SIZE: 50,
    PUBLIC_BASE_URL: "http://127.0.0.1:3000",
  },
});
process.stdout.write("relay finished\n");
await db.close();
