/**
 * `npm run demo`: the whole platform on this machine with the demo councils. Starts or reuses
 * PostgreSQL and Redis, migrates, seeds, starts every process (all server roles, the Nodo
 * simulator and, when present, the dev identity providers), waits until they are ready and
 * prints where to go. Ctrl-C stops everything it started.
 */
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { demoPack } from "../../tenants/demo/pack.ts";
import { ensureStack, migrate, prismaEnv } from "./stack.ts";

const root = path.resolve(import.meta.dirname, "../..");
const env = process.env;
const apiUrl = env.PUBLIC_BASE_URL ?? `http://127.0.0.1:${env.API_PORT ?? 3000}`;
const soapUrl = `http://127.0.0.1:${env.SOAP_PORT ?? 3001}`;
const simPort = env.NODO_SIM_PORT ?? "4100";
/** Notices in the demo's mass printing (issue 15: "the demo shows a 1,000-notice run"). */
const DEMO_PRINT_NOTICES = 1_000;

interface Proc {
  name: string;
  script: string;
  args?: string[];
  env?: Record<string, string>;
  readyUrl?: string;
}

const children: ChildProcess[] = [];
let stopStack: () => void = () => {};
let stopping = false;

function start(proc: Proc, sharedEnv: NodeJS.ProcessEnv): void {
  const child = spawn(process.execPath, ["--import", "tsx", proc.script, ...(proc.args ?? [])], {
    cwd: root,
    env: { ...sharedEnv, ...proc.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // own process group, so Ctrl-C handling here stops it and its children
  });
  children.push(child);
  const prefix = `[${proc.name}] `;
  const pipe = (stream: NodeJS.ReadableStream, out: NodeJS.WriteStream) => {
    let buffered = "";
    stream.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) out.write(prefix + line + "\n");
    });
  };
  pipe(child.stdout!, process.stdout);
  pipe(child.stderr!, process.stderr);
  child.on("exit", (code, signal) => {
    if (stopping) return;
    console.error(`${prefix}exited (${signal ?? code}); stopping the demo`);
    void stopAll(1);
  });
}

async function stopAll(code: number): Promise<never> {
  stopping = true;
  for (const child of children) {
    if (child.pid && child.exitCode === null) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        /* already gone */
      }
    }
  }
  await new Promise((r) => setTimeout(r, 1_500));
  for (const child of children) {
    if (child.pid && child.exitCode === null) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        /* already gone */
      }
    }
  }
  stopStack(); // only the PostgreSQL/Redis this run started; reused servers keep running
  process.exit(code);
}

async function waitReady(name: string, url: string, seconds = 60): Promise<void> {
  for (let i = 0; i < seconds * 2; i++) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      /* not yet listening */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${name} not ready at ${url} after ${seconds} s`);
}

process.on("SIGINT", () => void stopAll(0));
process.on("SIGTERM", () => void stopAll(0));

const urls = await ensureStack(env);
stopStack = urls.stop;
execFileSync("npx", ["prisma", "generate"], {
  cwd: root,
  stdio: ["ignore", "ignore", "inherit"],
  env: prismaEnv({ MIGRATE_DATABASE_URL: urls.migrateUrl }),
});
migrate(urls.migrateUrl);
execFileSync(process.execPath, ["--import", "tsx", "prisma/seed.ts"], {
  cwd: root,
  stdio: "inherit",
  env: { ...env, DATABASE_URL: urls.databaseUrl },
});
// Borgo Fiorito's 1,000-debt TARI import and its *Stampa avvisi* run, queued here and printed by
// the worker once the server is up (infra/local/demo-print-run.ts).
execFileSync(process.execPath, ["--import", "tsx", "infra/local/demo-print-run.ts", String(DEMO_PRINT_NOTICES)], {
  cwd: root,
  stdio: "inherit",
  env: { ...env, DATABASE_URL: urls.databaseUrl, REDIS_URL: urls.redisUrl, LOG_LEVEL: "warn" },
});

const sharedEnv: NodeJS.ProcessEnv = {
  ...env,
  DATABASE_URL: urls.databaseUrl,
  MIGRATE_DATABASE_URL: urls.migrateUrl,
  REDIS_URL: urls.redisUrl,
  NODO_SIM_STATION_URL: env.NODO_SIM_STATION_URL ?? `${soapUrl}/nodo/paForNode`,
  CHECKOUT_BASE_URL: env.CHECKOUT_BASE_URL ?? `http://127.0.0.1:${simPort}/checkout/ec/v2`,
  PAGOPA_BACKOFFICE_URL: env.PAGOPA_BACKOFFICE_URL ?? `http://127.0.0.1:${simPort}/backoffice/external/ec/v1`,
  PAGOPA_BIZEVENTS_URL: env.PAGOPA_BIZEVENTS_URL ?? `http://127.0.0.1:${simPort}/bizevents/service/v1`,
  PAGOPA_ACA_URL: env.PAGOPA_ACA_URL ?? `http://127.0.0.1:${simPort}/aca/debt-positions-service/v1`,
  FDR_BASE_URL: env.FDR_BASE_URL ?? `http://127.0.0.1:${simPort}/fdr`,
  NODE_FOR_PA_URL: env.NODE_FOR_PA_URL ?? `http://127.0.0.1:${simPort}/nodo/nodoPerPa`,
  SMTP_URL: env.SMTP_URL ?? `smtp://127.0.0.1:${env.MAIL_CATCHER_SMTP_PORT ?? 2525}`,
  // The staff realm e-mails invitations (set your password) through the same mail catcher.
  DEV_IDP_SMTP_URL: env.DEV_IDP_SMTP_URL ?? `smtp://127.0.0.1:${env.MAIL_CATCHER_SMTP_PORT ?? 2525}`,
  // The portal's SPID SP and the SPID test IdP find each other through their metadata URLs.
  SPID_IDP_REGISTRY: env.SPID_IDP_REGISTRY ?? `http://127.0.0.1:${env.DEV_IDP_PORT ?? 4200}/spid/metadata`,
  // In per-tenant mode each demo council is an SP of its own, with its own metadata URL.
  SPID_IDP_SP_METADATA_URLS:
    env.SPID_IDP_SP_METADATA_URLS ??
    [
      `${apiUrl}/spid/metadata`,
      ...(env.SPID_SP_MODE === "per-tenant"
        ? demoPack().tenants.map((t) => `${apiUrl}/spid/enti/${t.ipaCode}/metadata`)
        : []),
    ].join(","),
  // CIE ID beside SPID: the development CIE IdP (the dev IdP's /cie) and our CIE SP's metadata.
  CIE_IDP_METADATA: env.CIE_IDP_METADATA ?? `http://127.0.0.1:${env.DEV_IDP_PORT ?? 4200}/cie/metadata`,
  CIE_IDP_SP_METADATA_URLS: env.CIE_IDP_SP_METADATA_URLS ?? `${apiUrl}/cie/metadata`,
};

const procs: Proc[] = [{ name: "server", script: "server/main.ts", readyUrl: `${apiUrl}/readyz` }];
if (existsSync(path.join(root, "infra/nodo-simulator/main.ts"))) {
  procs.push({
    name: "nodo-sim",
    script: "infra/nodo-simulator/main.ts",
    readyUrl: `http://127.0.0.1:${simPort}/healthz`,
  });
}
if (existsSync(path.join(root, "infra/dev-idp/main.ts"))) {
  procs.push({
    name: "dev-idp",
    script: "infra/dev-idp/main.ts",
    readyUrl: `http://127.0.0.1:${env.DEV_IDP_PORT ?? 4200}/healthz`,
  });
}
procs.push({
  name: "mail",
  script: "infra/mail-catcher/main.ts",
  readyUrl: `http://127.0.0.1:${env.MAIL_CATCHER_HTTP_PORT ?? 4300}/healthz`,
});
procs.push({
  name: "webhooks",
  script: "infra/webhook-receiver/main.ts",
  readyUrl: `http://127.0.0.1:${env.WEBHOOK_RECEIVER_PORT ?? 4400}/healthz`,
});
for (const proc of procs) start(proc, sharedEnv);
try {
  await Promise.all([
    ...procs.filter((p) => p.readyUrl).map((p) => waitReady(p.name, p.readyUrl!)),
    waitReady("soap", `${soapUrl}/readyz`),
  ]);
} catch (err) {
  console.error(`[demo] ${(err as Error).message}`);
  await stopAll(1);
}
await seedPagopaRegistry();

console.log(`
PontePA is running with the demo councils (Ctrl-C stops everything).

  API and portals      ${apiUrl}            (ready: ${apiUrl}/readyz, metrics: ${apiUrl}/metrics)
  Nodo station (SOAP)  ${soapUrl}/nodo/paForNode
  Nodo simulator       http://127.0.0.1:${simPort}   (Checkout, PSP counter, reporting flows)
  Back-office (staff)  ${apiUrl}/backoffice/   (login through the dev realm, password "demo")
  Staff realm (OIDC)   http://127.0.0.1:${env.DEV_IDP_PORT ?? 4200}/realms/pontepa   (Keycloak-compatible)
  SPID test IdP        http://127.0.0.1:${env.DEV_IDP_PORT ?? 4200}/spid/metadata   (demo identities, password "demo")
  E-mails to citizens  http://127.0.0.1:${env.MAIL_CATCHER_HTTP_PORT ?? 4300}/   (development mail catcher, SMTP on ${env.MAIL_CATCHER_SMTP_PORT ?? 2525})
  Webhook receiver     http://127.0.0.1:${env.WEBHOOK_RECEIVER_PORT ?? 4400}/   (register http://127.0.0.1:${env.WEBHOOK_RECEIVER_PORT ?? 4400}/hooks in a council's Webhook page, paste its secret here)

  Demo councils: Comune di Borgo Fiorito (00345670210), Comune di Valle Serena (00298130246),
                 Istituto Comprensivo Monte Chiaro (80044120154, in collaudo)
  Mass printing: Borgo Fiorito's import of ${DEMO_PRINT_NOTICES.toLocaleString("it-IT")} TARI debts and the printing of their notices,
                 done by the worker in the background (${apiUrl}/backoffice/enti/c_x001/stampe as operatore.borgo:
                 zip, merged PDF and manifest once it says Completata)
  Demo citizen:  Mario Rossi, RSSMRA80A01H501U
  Demo staff:    admin.regione (platform admin), helpdesk (regional helpdesk),
                 admin.borgo / operatore.borgo / viewer.borgo (Borgo Fiorito),
                 admin.valle / operatore.valle (Valle Serena)
`);

/** Gives the simulator's pagoPA registry the demo councils (with one planted IBAN difference), once. */
async function seedPagopaRegistry(): Promise<void> {
  if (!procs.some((p) => p.name === "nodo-sim")) return;
  const admin = `http://127.0.0.1:${simPort}/admin/registry`;
  const current = (await (await fetch(admin)).json()) as { institutions: unknown[] };
  if (current.institutions.length) return;
  const { demoRegistry } = await import("../nodo-simulator/backoffice/demo-registry.ts");
  await fetch(admin, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(demoRegistry()),
  });
}
