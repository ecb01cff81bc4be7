// Several instances (issue 18 item 3): two api, two soap and two worker processes (each worker
// also runs the scheduler, as two scheduler pods would) — real `server/main.ts --role=...`
// children on their own loopback ports — against ONE PostgreSQL database (the integration run's
// throwaway one) and ONE Redis (a queue prefix of this file's own). It shows that:
// - a citizen's cart and a staff session made on api#1 are served by api#2 (the same cookies),
//   and a CSRF-protected form posted to api#2 with the session from api#1 is accepted;
// - each scheduled job runs once per period although two schedulers upserted the schedules and
//   two workers compete for the runs;
// - N jobs queued at once are each processed exactly once by the two workers (the e-mails the
//   mail catcher receives and the receipts' email_sent_at rows count the handler's effect);
// - a routing change made through the back-office reaches both soap instances within the
//   routing cache's TTL (SOAP_ROUTING_CACHE_MS), whichever instance the Nodo calls.
// Hosts are loopback ports, not network namespaces: nothing here depends on addresses, and
// ports need no privileges and leave nothing behind on the machine.
import { createServer, type Server } from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Queue } from "bullmq";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDevIdp, type DevIdp } from "../dev-idp/app.ts";
import { formAction, TestBrowser } from "../dev-idp/oidc/test-browser.ts";
import { startMailCatcher, type MailCatcher } from "../mail-catcher/catcher.ts";
import { JOBS } from "../../server/jobs.ts";
import { parseEnvelope } from "../../server/nodo/station/envelope.ts";
import { receiptRegisteredJob } from "../../server/notifications/index.ts";
import { registerReceipt } from "../../server/positions/register-receipt.ts";
import type { Deps } from "../../server/platform/deps.ts";
import { IBAN, makeStationTenant, singleNotice, type StationTenant } from "../../server/test/harness/nodo/fixtures.ts";
import { verifyXml } from "../../server/test/harness/nodo/soap-requests.ts";
import { testDeps } from "../../server/test/support.ts";
import { freePort, signal, startPontepa, type PontepaProcess } from "./own-stack.ts";

const JOBS_QUEUED = Number(process.env.MULTI_JOBS ?? 12);
const ROUTING_TTL_MS = 3_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (message: string) => process.stdout.write(`[multi] ${message}\n`);

describe("several instances of each role share nothing but PostgreSQL and Redis", () => {
  const procs: PontepaProcess[] = [];
  let api: [string, string];
  let soap: [number, number];
  let workers: PontepaProcess[];
  let deps: Deps;
  let ec: StationTenant;
  let catcher: MailCatcher;
  let idp: DevIdp;
  let idpServer: Server;
  let idpDir: string;
  let startedAt: number;
  const prefix = `${inject("queuePrefix")}-multi`;

  beforeAll(async () => {
    catcher = await startMailCatcher({ smtpPort: 0, httpPort: 0 });
    const apiPorts = [await freePort(), await freePort()];
    api = [`http://127.0.0.1:${apiPorts[0]}`, `http://127.0.0.1:${apiPorts[1]}`];
    // The staff realm, redirecting back to the platform's public address (api#1 here).
    idpServer = createServer();
    await new Promise<void>((resolve) => idpServer.listen(0, "127.0.0.1", resolve));
    idpDir = await mkdtemp(path.join(os.tmpdir(), "multi-idp-"));
    idp = await createDevIdp({
      issuerBase: `http://127.0.0.1:${(idpServer.address() as { port: number }).port}`,
      dataDir: idpDir,
      backofficeBaseUrls: [api[0]],
      smtpUrl: "smtp://127.0.0.1:9",
      logger: pino({ level: "silent" }),
    });
    idpServer.on("request", idp.app);

    deps = testDeps({ QUEUE_PREFIX: prefix });
    ec = await makeStationTenant(deps.db);
    const env = {
      NODE_ENV: "test",
      DATABASE_URL: inject("databaseUrl"),
      REDIS_URL: inject("redisUrl"),
      QUEUE_PREFIX: prefix,
      DATABASE_POOL_SIZE: "4",
      PUBLIC_BASE_URL: api[0],
      OIDC_ISSUER_URL: idp.issuer,
      SMTP_URL: `smtp://127.0.0.1:${catcher.smtpPort}`,
      SOAP_ROUTING_CACHE_MS: String(ROUTING_TTL_MS),
      WORKER_DRAIN_MS: "2000",
    };
    // Two at a time (one per core here); every process is recorded as soon as it runs, so
    // afterAll kills it even when another one fails to start.
    const start = async (role: Parameters<typeof startPontepa>[0], port?: number) => {
      const p = await startPontepa(role, env, port);
      procs.push(p);
      return p;
    };
    // allSettled: both starts end (ready or killed) before a failure is thrown.
    const pair = async (a: Promise<PontepaProcess>, b: Promise<PontepaProcess>) => {
      const both = await Promise.allSettled([a, b]);
      for (const r of both) if (r.status === "rejected") throw r.reason;
      return both.map((r) => (r as PromiseFulfilledResult<PontepaProcess>).value);
    };
    await pair(start("api", apiPorts[0]), start("api", apiPorts[1]));
    soap = (await pair(start("soap"), start("soap"))).map((p) => p.port) as [number, number];
    startedAt = Date.now();
    workers = await pair(start("worker,scheduler"), start("worker,scheduler"));
    log(`started: api ${api.join(" ")}, soap ${soap.join(" ")}, workers ${workers.map((w) => w.child.pid).join(" ")}`);
  }, 240_000);

  afterAll(async () => {
    await Promise.all(procs.map((p) => signal(p, "SIGKILL")));
    if (idp && idpServer) await idp.close(idpServer);
    if (idpDir) await rm(idpDir, { recursive: true, force: true });
    await catcher?.close();
    if (deps) {
      const keys = await deps.redis.keys(`${prefix}:*`);
      if (keys.length) await deps.redis.del(...keys);
      await deps.close();
    }
  }, 60_000);

  it("a citizen's cart made on api#1 is served and changed by api#2", async () => {
    const notice = await singleNotice(deps.db, ec.tenant, 4_321);
    const browser = new TestBrowser();
    await browser.request(`${api[0]}/paga-avviso`);
    const csrf = () => browser.cookie("pp_csrf") ?? "";
    const added = await browser.post(`${api[0]}/paga-avviso/aggiungi`, {
      _csrf: csrf(),
      nav: notice.nav,
      creditorFiscalCode: ec.tenant.fiscalCode,
    });
    expect(added.status).toBe(303);
    const onApi2 = await (await browser.request(`${api[1]}/carrello`)).text();
    expect(onApi2).toContain("43,21");
    // Removed through api#2 (its CSRF check accepts the token api#1 issued): api#1 sees it gone.
    expect((await browser.post(`${api[1]}/carrello/rimuovi`, { _csrf: csrf(), nav: notice.nav })).status).toBe(303);
    expect(await (await browser.request(`${api[0]}/carrello`)).text()).not.toContain("43,21");
    log("cart: added on api#1, shown and emptied on api#2, api#1 sees it empty");
  });

  it("a staff session made on api#1 is served by api#2, and a routing change through it reaches both soap instances within the TTL", async () => {
    const browser = await loginOn(api[0], "admin.regione");
    const station = ec.routing.idStation;
    const page = await browser.request(`${api[1]}/backoffice/piattaforma/stazioni/${station}`);
    expect(page.status).toBe(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;

    const verify = async (port: number) => {
      const res = await fetch(`http://127.0.0.1:${port}/nodo/paForNode`, {
        method: "POST",
        headers: { "content-type": "text/xml; charset=utf-8", soapaction: '""' },
        body: verifyXml(ec.routing, nav),
      });
      const payload = parseEnvelope(await res.text()).payload as Record<string, unknown>;
      return payload.outcome === "OK" ? "OK" : (payload.fault as { faultCode: string }).faultCode;
    };
    const { nav } = await singleNotice(deps.db, ec.tenant, 1_000);
    // Both instances answer, and so remember the station as enabled.
    expect([await verify(soap[0]), await verify(soap[1])]).toEqual(["OK", "OK"]);

    const change = async (on: string, enabled: boolean) => {
      const res = await browser.post(`${on}/backoffice/piattaforma/stazioni/${station}`, {
        _csrf: csrf,
        description: "",
        clientCertFingerprint: "",
        allowedSources: "",
        ...(enabled ? { enabled: "on" } : {}),
      });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain("Protezioni della stazione aggiornate");
      return Date.now();
    };
    // Until each instance answers `want`, polling every 100 ms: how long after the change.
    const until = async (want: string, since: number) =>
      Promise.all(
        soap.map(async (port) => {
          while (Date.now() - since < ROUTING_TTL_MS + 5_000) {
            if ((await verify(port)) === want) return Date.now() - since;
            await sleep(100);
          }
          return Infinity;
        }),
      );
    // Disabled through api#2 (with api#1's session): the Nodo hears PAA_STAZIONE_INT_ERRATA.
    const off = await until("PAA_STAZIONE_INT_ERRATA", await change(api[1], false));
    // Enabled again through api#1.
    const on = await until("OK", await change(api[0], true));
    log(
      `routing: station disabled via api#2, seen by soap#1/#2 after ${off.join("/")} ms; enabled via api#1, after ${on.join("/")} ms (TTL ${ROUTING_TTL_MS} ms)`,
    );
    for (const ms of [...off, ...on]) expect(ms).toBeLessThanOrEqual(ROUTING_TTL_MS + 1_000);
  });

  it(`${JOBS_QUEUED} jobs queued at once are each processed once by the two workers`, async () => {
    const receipts: { receiptId: string; optionId: string | null }[] = [];
    for (let i = 0; i < JOBS_QUEUED; i++) {
      const n = await singleNotice(deps.db, ec.tenant, 1_500);
      const receiptId = `multi-${n.iuv}`;
      const stored = await registerReceipt(
        deps.db,
        ec.tenant,
        {
          receiptId,
          nav: n.nav,
          noticeFiscalCode: ec.tenant.fiscalCode,
          outcome: "OK",
          creditorReferenceId: n.iuv,
          amountCents: 1_500,
          pspId: "PSPTEST",
          standIn: false,
          paymentDateTime: new Date(),
          payer: { fiscalCode: "RSSMRA80A01H501U", name: "Mario Rossi", email: `${receiptId}@example.org` },
          transfers: [
            {
              index: 1,
              amountCents: 1_500,
              fiscalCodePA: ec.tenant.fiscalCode,
              iban: IBAN,
              remittanceText: "Prova",
              category: "9/0101101IM/",
            },
          ],
        },
        // Queued below, all at once, so the two workers compete for them.
        async () => undefined,
      );
      receipts.push({ receiptId, optionId: stored.optionId });
    }
    const receiptIds = receipts.map((r) => r.receiptId);
    const jobs = await Promise.all(
      receipts.map((r) =>
        deps.jobs.enqueue(receiptRegisteredJob, { tenantId: ec.tenant.id, ...r, outcome: "OK", standIn: false }),
      ),
    );
    const done = async () =>
      deps.db.withTenant(ec.tenant.id, (tx) =>
        tx.receipt.findMany({
          where: { receiptId: { in: receiptIds } },
          select: { receiptId: true, emailSentAt: true, followUpsDoneAt: true },
        }),
      );
    const end = Date.now() + 90_000;
    let rows = await done();
    while (rows.some((r) => !r.followUpsDoneAt) && Date.now() < end) {
      await sleep(250);
      rows = await done();
    }
    await sleep(500);
    const queue = new Queue(receiptRegisteredJob.queue, { connection: deps.redis, prefix });
    try {
      const ran = await Promise.all(jobs.map((j) => queue.getJob(j.id!)));
      const byWorker = new Map<string, number>();
      for (const j of ran) byWorker.set(j!.processedBy ?? "?", (byWorker.get(j!.processedBy ?? "?") ?? 0) + 1);
      const mails = receiptIds.map((id) => catcher.messages.filter((m) => m.to.includes(`${id}@example.org`)).length);
      const counts = {
        queued: JOBS_QUEUED,
        completed: ran.filter((j) => j?.finishedOn && !j.failedReason).length,
        startedMoreThanOnce: ran.filter((j) => (j?.attemptsStarted ?? 0) > 1).length,
        emailSentAtRows: rows.filter((r) => r.emailSentAt).length,
        emailsDelivered: mails.reduce((a, b) => a + b, 0),
        emailsDoubled: mails.filter((n) => n > 1).length,
        byWorker: Object.fromEntries(byWorker),
      };
      log(`jobs ${JSON.stringify(counts)}`);
      expect(counts.completed).toBe(JOBS_QUEUED);
      expect(counts.startedMoreThanOnce).toBe(0);
      expect(counts.emailSentAtRows).toBe(JOBS_QUEUED);
      expect(mails.every((n) => n === 1)).toBe(true);
      // Both workers took jobs (else the test showed one worker, not two competing).
      const pids = workers.map((w) => String(w.child.pid));
      expect(pids.every((pid) => [...byWorker.keys()].some((name) => name.endsWith(`:${pid}`)))).toBe(true);
    } finally {
      await queue.close();
    }
  }, 120_000);

  it("each scheduled job ran once per period, with two schedulers and two workers", async () => {
    // The window: since the first scheduler started (the other tests ran meanwhile).
    await sleep(Math.max(0, 20_000 - (Date.now() - startedAt)));
    const windowMs = Date.now() - startedAt;
    const report: Record<string, { runs: number; every: number; allowed: number; byWorker: number }> = {};
    for (const def of JOBS.filter((d) => d.schedule)) {
      const queue = new Queue(def.queue, { connection: deps.redis, prefix });
      try {
        const all = (
          await queue.getJobs(["completed", "failed", "active", "wait", "delayed", "prioritized"], 0, -1)
        ).filter((j) => j.name === def.name && j.id?.startsWith("repeat:"));
        const ran = all.filter((j) => j.processedOn);
        const every = def.schedule!.every;
        // Scheduled instants (BullMQ's job id ends with them): no period planned twice.
        const instants = all.map((j) => Number(j.id!.split(":").pop()));
        expect(new Set(instants).size, `${def.name}: one job per scheduled instant`).toBe(instants.length);
        const sorted = [...instants].sort((a, b) => a - b);
        for (let i = 1; i < sorted.length; i++) expect(sorted[i]! - sorted[i - 1]!).toBeGreaterThanOrEqual(every);
        const allowed = Math.floor(windowMs / every) + 1;
        expect(ran.length, `${def.name}: runs in ${windowMs} ms`).toBeLessThanOrEqual(allowed);
        for (const j of ran) expect(j.attemptsStarted, `${def.name} ${j.id}`).toBeLessThanOrEqual(j.attemptsMade + 1);
        report[def.name] = {
          runs: ran.length,
          every,
          allowed,
          byWorker: new Set(ran.map((j) => j.processedBy)).size,
        };
      } finally {
        await queue.close();
      }
    }
    log(`scheduled in ${windowMs} ms: ${JSON.stringify(report)}`);
    // The every-second relay ran about once a second, not twice, and the two workers shared it.
    const relay = report["deliver-webhooks"]!;
    expect(relay.runs).toBeGreaterThanOrEqual(Math.floor((windowMs / 1_000) * 0.5));
    expect(relay.byWorker).toBe(2);
  }, 60_000);
});

/** Logs `username` in through the dev realm, starting and finishing on `base`. */
async function loginOn(base: string, username: string): Promise<TestBrowser> {
  const browser = new TestBrowser();
  const start = await browser.request(`${base}/backoffice/accedi`);
  const page = await browser.follow(new URL(start.headers.get("location")!), {}, `${base}/backoffice/auth/callback`);
  const submit = await browser.post(formAction(await page.response.text(), page.url, "/login"), {
    username,
    password: "demo",
  });
  expect(submit.status, `login of ${username}`).toBe(303);
  const callback = await browser.follow(
    new URL(submit.headers.get("location")!, page.url),
    {},
    `${base}/backoffice/auth/callback`,
  );
  expect((await browser.request(callback.url)).status).toBe(303);
  return browser;
}
