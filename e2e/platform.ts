/**
 * Starts the whole platform for the e2e suite, on its own ports and its own throwaway database:
 * migrate, seed the demo councils, then the server (all roles), the Nodo simulator and the dev
 * identity providers. Playwright's webServer runs this and waits for E2E_BASE_URL/readyz.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { ensureStack, migrate } from "../infra/local/stack.ts";
import { E2E } from "./ports.ts";
import { dropRoot, platformFile, seededNavsFile } from "./seeded.ts";

const root = path.resolve(import.meta.dirname, "..");
const stack = await ensureStack();
const database = `pontepa_e2e_${process.pid}`;
const admin = new URL(stack.migrateUrl);
admin.pathname = "/postgres";
const client = new pg.Client({ connectionString: admin.toString() });
await client.connect();
await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
await client.query(`CREATE DATABASE ${database}`);
const withDb = (url: string) => {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
};
migrate(withDb(stack.migrateUrl));

const env: NodeJS.ProcessEnv = {
  ...process.env,
  NODE_ENV: "development",
  LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? "warn",
  DATABASE_URL: withDb(stack.databaseUrl),
  MIGRATE_DATABASE_URL: withDb(stack.migrateUrl),
  REDIS_URL: stack.redisUrl,
  QUEUE_PREFIX: `pontepa-e2e-${process.pid}`,
  API_PORT: String(E2E.api),
  SOAP_PORT: String(E2E.soap),
  WORKER_METRICS_PORT: String(E2E.worker),
  PUBLIC_BASE_URL: E2E.baseUrl,
  CHECKOUT_BASE_URL: `${E2E.simulatorUrl}/checkout/ec/v2`,
  PAGOPA_BACKOFFICE_URL: `${E2E.simulatorUrl}/backoffice/external/ec/v1`,
  PAGOPA_BIZEVENTS_URL: `${E2E.simulatorUrl}/bizevents/service/v1`,
  PAGOPA_ACA_URL: `${E2E.simulatorUrl}/aca/debt-positions-service/v1`,
  FDR_BASE_URL: `${E2E.simulatorUrl}/fdr`,
  NODE_FOR_PA_URL: `${E2E.simulatorUrl}/nodo/nodoPerPa`,
  // The collaudo pays its test notices at the simulator's PSP counter (not the demo's port).
  PREPRODUCTION_PSP_COUNTER_URL: E2E.simulatorUrl,
  NODO_SIM_PORT: String(E2E.simulator),
  NODO_SIM_PUBLIC_URL: E2E.simulatorUrl,
  NODO_SIM_STATION_URL: `http://127.0.0.1:${E2E.soap}/nodo/paForNode`,
  NODO_SIM_SUBSCRIPTION_KEY: E2E.nodoSubscriptionKey,
  NODO_SIM_DATA_DIR: path.join(root, ".tmp", `e2e-sim-${process.pid}`),
  DEV_IDP_PORT: String(E2E.idp),
  DEV_IDP_ISSUER_BASE: E2E.idpUrl,
  DEV_IDP_BACKOFFICE_URLS: E2E.baseUrl,
  OIDC_ISSUER_URL: `${E2E.idpUrl}/realms/pontepa`,
  DEV_IDP_DATA_DIR: path.join(root, ".tmp", `e2e-idp-${process.pid}`),
  DEV_IDP_SMTP_URL: `smtp://127.0.0.1:${E2E.mailSmtp}`,
  SMTP_URL: `smtp://127.0.0.1:${E2E.mailSmtp}`,
  SPID_IDP_REGISTRY: `${E2E.idpUrl}/spid/metadata`,
  SPID_SP_KEY_DIR: path.join(root, ".tmp", `e2e-spid-sp-${process.pid}`),
  SPID_IDP_SP_METADATA_URLS: `${E2E.baseUrl}/spid/metadata`,
  CIE_IDP_METADATA: `${E2E.idpUrl}/cie/metadata`,
  CIE_IDP_SP_METADATA_URLS: `${E2E.baseUrl}/cie/metadata`,
  MAIL_CATCHER_SMTP_PORT: String(E2E.mailSmtp),
  MAIL_CATCHER_HTTP_PORT: String(E2E.mail),
  WEBHOOK_RECEIVER_PORT: String(E2E.webhookReceiver),
  IMPORT_DROP_ROOT: dropRoot,
  TREASURY_DROP_DIR: path.join(root, ".tmp", `e2e-treasury-${process.pid}`),
};
// A fresh drop folder per run: leftovers of an earlier run would be imported again.
rmSync(dropRoot, { recursive: true, force: true });
execFileSync(process.execPath, ["--import", "tsx", "prisma/seed.ts"], { cwd: root, env, stdio: "inherit" });

// Notice numbers are a keyed permutation of each council's counter (issue 13): specs find the
// seeded ones by the position's external id (e2e/seeded.ts) instead of hard-coding them.
const seededDb = new pg.Client({ connectionString: withDb(stack.migrateUrl) });
await seededDb.connect();
const { rows } = await seededDb.query<{
  external_id: string;
  kind: string;
  installment_number: number | null;
  nav: string;
}>(
  `SELECT p.external_id, o.kind, o.installment_number, o.nav
     FROM debt_positions p JOIN payment_options o ON o.tenant_id = p.tenant_id AND o.position_id = p.id
    WHERE p.external_id IS NOT NULL`,
);
await seededDb.end();
mkdirSync(path.dirname(seededNavsFile), { recursive: true });
writeFileSync(
  seededNavsFile,
  JSON.stringify(
    rows.map((r) => ({
      externalId: r.external_id,
      option: r.kind === "SINGLE" ? 0 : r.installment_number,
      nav: r.nav,
    })),
  ),
);

// Where specs find this run's job queues (the prefix names the process), to run a job on demand.
writeFileSync(
  platformFile,
  JSON.stringify({ redisUrl: stack.redisUrl, queuePrefix: env.QUEUE_PREFIX, treasuryDir: env.TREASURY_DROP_DIR }),
);

const children: ChildProcess[] = [];
const start = (script: string) => {
  const child = spawn(process.execPath, ["--import", "tsx", script], { cwd: root, env, stdio: "inherit" });
  children.push(child);
};
start("server/main.ts");
if (existsSync(path.join(root, "infra/nodo-simulator/main.ts"))) start("infra/nodo-simulator/main.ts");
if (existsSync(path.join(root, "infra/dev-idp/main.ts"))) start("infra/dev-idp/main.ts");
start("infra/mail-catcher/main.ts");
start("infra/webhook-receiver/main.ts");

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  // Wait for each child to finish its own shutdown (the server closes its Chromium pool, the
  // simulator its servers): exiting first would leave them, and their browsers, running.
  const exited = children.map((c) =>
    c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise((r) => c.once("exit", r)),
  );
  for (const c of children) c.kill("SIGTERM");
  await Promise.race([Promise.all(exited), new Promise((r) => setTimeout(r, 20_000))]);
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
  await client.end();
  process.exit(0);
}
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
