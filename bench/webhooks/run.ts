/**
 * bench/webhooks: webhook deliveries per second from the outbox to a local receiver, next to a
 * ceiling measured in the same run: the same HTTP client (the worker's `webhookHttp`, at most
 * WEBHOOK_SOCKETS_PER_ORIGIN = 32 connections to the receiver) posting the same signed bodies to
 * the same receiver at the same concurrency (WEBHOOK_BATCH_SIZE requests), with no database. The receiver is the demo's
 * (infra/webhook-receiver, its own process, verifying every signature).
 * Usage: npm run bench:webhooks
 * Env: BENCH_EVENTS=5000, WEBHOOK_BATCH_SIZE=200 (deliveries sent at once per relay round),
 *      BENCH_RECEIVER_PORT=4499; PostgreSQL and Redis as for `npm test` (a throwaway database, dropped).
 */
import { spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { ensureStack, migrate } from "../../infra/local/stack.ts";
import { loadConfig } from "../../server/config/env.ts";
import { Database } from "../../server/platform/db/database.ts";
import { createLogger } from "../../server/platform/observability/logger.ts";
import { emitEvents, type DomainEvent } from "../../server/outbox/index.ts";
import { createWebhookEndpoint, runWebhookRelay, signedHeaders, webhookHttp } from "../../server/webhooks/index.ts";
import { makeTenant } from "../../server/test/factories.ts";
import { withDatabase } from "../../server/test/global-setup.ts";
import { machine } from "../nodo/report.ts";

const num = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(v) || v <= 0) throw new Error(`${name} must be a positive integer`);
  return v;
};
const events = num("BENCH_EVENTS", 5_000);
const receiverPort = num("BENCH_RECEIVER_PORT", 4499);
const root = path.resolve(import.meta.dirname, "../..");
const database = `pontepa_bench_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
const stack = await ensureStack();
const admin = new pg.Client({ connectionString: withDatabase(stack.migrateUrl, "postgres") });
await admin.connect();
const config = loadConfig({
  ...process.env,
  DATABASE_URL: withDatabase(stack.databaseUrl, database),
  REDIS_URL: stack.redisUrl,
});
const before = machine();
let db: Database | null = null;
const receiver = spawn(process.execPath, ["--import", "tsx", "infra/webhook-receiver/main.ts"], {
  cwd: root,
  env: { ...process.env, WEBHOOK_RECEIVER_PORT: String(receiverPort) },
  stdio: "ignore",
});
// The worker's own client (`webhookHttp`: keep-alive, WEBHOOK_SOCKETS_PER_ORIGIN connections to
// one receiver), out of production mode only because the receiver is on loopback.
const http = webhookHttp({ NODE_ENV: "development", WEBHOOK_TIMEOUT_MS: config.WEBHOOK_TIMEOUT_MS });
const receiverUrl = `http://127.0.0.1:${receiverPort}`;

try {
  await admin.query(`CREATE DATABASE ${database}`);
  migrate(withDatabase(stack.migrateUrl, database));
  db = new Database({ url: config.DATABASE_URL, poolSize: 8 });
  for (let i = 0; i < 100; i++) {
    if (
      await fetch(`${receiverUrl}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const tenant = await makeTenant(db);
  const endpoint = await createWebhookEndpoint(
    db,
    tenant.id,
    { url: `${receiverUrl}/hooks`, events: ["position.created"] },
    { type: "system", id: "bench" },
    { production: false },
  );
  await fetch(`${receiverUrl}/segreti`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ secret: endpoint.secret }),
  });

  // Ceiling: the same client, bodies and concurrency, no database.
  const body = JSON.stringify({
    type: "position.created",
    timestamp: new Date().toISOString(),
    data: { positionId: randomUUID(), iupd: "x".repeat(40), status: "VALID" },
  });
  const concurrency = config.WEBHOOK_BATCH_SIZE;
  let c0 = performance.now();
  let sent = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (sent < events) {
        sent++;
        const res = await http.post(
          `${receiverUrl}/hooks`,
          signedHeaders([endpoint.secret], randomUUID(), Math.floor(Date.now() / 1000), body),
          body,
        );
        if (res.status !== 200) throw new Error(`ceiling: HTTP ${res.status}`);
      }
    }),
  );
  const ceiling = events / ((performance.now() - c0) / 1000);
  await fetch(`${receiverUrl}/messages`, { method: "DELETE" });

  // The outbox: events written as the platform writes them (in their council's transactions).
  for (let i = 0; i < events; i += 1_000) {
    const chunk: DomainEvent[] = Array.from({ length: Math.min(1_000, events - i) }, () => {
      const positionId = randomUUID();
      return {
        tenantId: tenant.id,
        type: "position.created",
        positionId,
        data: { positionId, iupd: "x".repeat(40), status: "VALID" },
      };
    });
    await db.withTenant(tenant.id, (tx) => emitEvents(tx, chunk));
  }
  c0 = performance.now();
  const stats = await runWebhookRelay(
    {
      db,
      http,
      config,
      logger: createLogger({ level: "warn", role: "bench" }),
      mailer: { send: async () => undefined, close: () => undefined },
    },
    { budgetMs: 600_000 },
  );
  const seconds = (performance.now() - c0) / 1000;
  const arrived = (await (await fetch(`${receiverUrl}/messages`)).json()) as Array<{ signature: string }>;
  const rate = stats.delivered / seconds;
  console.log(`\n${before}\n`);
  console.log(
    `| scenario | events | deliveries | failed | seconds | deliveries/s | ratio to ceiling | target (≥ 500/s) |`,
  );
  console.log(`|---|---|---|---|---|---|---|---|`);
  console.log(
    `| ceiling (same client, no database) | ${events.toLocaleString("en")} | ${events.toLocaleString("en")} | 0 | ${(events / ceiling).toFixed(1)} | ${Math.round(ceiling).toLocaleString("en")} | 1.00 |  |`,
  );
  console.log(
    `| outbox → relay → receiver | ${stats.events.toLocaleString("en")} | ${stats.delivered.toLocaleString("en")} | ${stats.failed} | ${seconds.toFixed(1)} | ${Math.round(rate).toLocaleString("en")} | ${(rate / ceiling).toFixed(2)} | ${rate >= 500 ? "met" : "not met"} |`,
  );
  console.log(
    `\nsignatures checked by the receiver (last ${arrived.length} kept): ${arrived.filter((a) => a.signature === "valid").length} valid`,
  );
} finally {
  http.close();
  receiver.kill("SIGTERM");
  await db?.close();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
  await admin.end();
}
