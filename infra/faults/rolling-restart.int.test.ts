// Graceful shutdown and upgrades (issue 18 item 5): two soap processes behind a tiny round-robin
// proxy (the Service), a steady load of paVerifyPaymentNotice, and a rolling restart: SIGTERM
// one (the proxy drops it from rotation in the same instant, as the endpoints controller does),
// start its replacement, then the other. No request is lost: answers in flight when SIGTERM
// arrives are delivered, and each process exits 0 well within the pod's grace period.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { testDeps } from "../../server/test/support.ts";
import { makeStationTenant, singleNotice, type StationTenant } from "../../server/test/harness/nodo/fixtures.ts";
import { verifyXml } from "../../server/test/harness/nodo/soap-requests.ts";
import { parseEnvelope } from "../../server/nodo/station/envelope.ts";
import { freePort, signal, startPontepa, type PontepaProcess } from "./own-stack.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Backend {
  proc: PontepaProcess;
  inFlight: number;
}

describe("rolling restart of the soap role under load", () => {
  let ec: StationTenant;
  let nav: string;
  const backends: Backend[] = [];
  let proxy: http.Server;
  let proxyPort: number;
  let env: Record<string, string>;
  let turn = 0;

  beforeAll(async () => {
    const deps = testDeps();
    ec = await makeStationTenant(deps.db);
    nav = (await singleNotice(deps.db, ec.tenant)).nav;
    await deps.close();
    env = {
      NODE_ENV: "test",
      DATABASE_URL: inject("databaseUrl"),
      REDIS_URL: inject("redisUrl"),
      QUEUE_PREFIX: `${inject("queuePrefix")}-rolling`,
      DATABASE_POOL_SIZE: "4",
    };
    for (let i = 0; i < 2; i++) backends.push({ proc: await startPontepa("soap", env), inFlight: 0 });
    // The Service: round robin over the backends in rotation, one fresh connection per request.
    proxy = http.createServer((req, res) => {
      const backend = backends[turn++ % backends.length]!;
      backend.inFlight++;
      const upstream = http.request(
        {
          host: "127.0.0.1",
          port: backend.proc.port,
          path: req.url,
          method: req.method,
          headers: req.headers,
          agent: false,
        },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
          up.on("end", () => backend.inFlight--);
        },
      );
      upstream.on("error", (err) => {
        backend.inFlight--;
        res.writeHead(502).end(`proxy: ${err.message}`);
      });
      req.pipe(upstream);
    });
    proxyPort = await freePort();
    await new Promise<void>((resolve) => proxy.listen(proxyPort, "127.0.0.1", resolve));
  }, 180_000);

  afterAll(async () => {
    await Promise.all(backends.map((b) => signal(b.proc, "SIGKILL")));
    await new Promise((r) => proxy?.close(r));
  });

  it("loses no request, and each stopping process drains and exits 0 within the grace period", async () => {
    const results = new Map<string, number>();
    const count = (k: string) => results.set(k, (results.get(k) ?? 0) + 1);
    let running = true;
    const xml = verifyXml(ec.routing, nav);
    const load = Promise.all(
      Array.from({ length: 6 }, async () => {
        while (running) {
          try {
            const res = await fetch(`http://127.0.0.1:${proxyPort}/nodo/paForNode`, {
              method: "POST",
              headers: { "content-type": "text/xml; charset=utf-8", soapaction: '""' },
              body: xml,
              signal: AbortSignal.timeout(7_000),
            });
            const text = await res.text();
            if (res.status !== 200) count(`HTTP ${res.status}: ${text.slice(0, 80)}`);
            else count(String((parseEnvelope(text).payload as { outcome?: string }).outcome));
          } catch (err) {
            count(`error: ${(err as Error).message}`);
          }
        }
      }),
    );
    const drained: { inFlightAtSigterm: number; exitCode: number | null; stopMs: number }[] = [];
    await sleep(2_000);
    for (let i = 0; i < 2; i++) {
      const [old] = backends.splice(0, 1);
      const inFlightAtSigterm = old!.inFlight;
      const started = Date.now();
      const exitCode = await signal(old!.proc, "SIGTERM");
      drained.push({ inFlightAtSigterm, exitCode, stopMs: Date.now() - started });
      backends.push({ proc: await startPontepa("soap", env), inFlight: 0 });
      await sleep(1_000);
    }
    running = false;
    await load;
    const counts = Object.fromEntries(results);
    process.stdout.write(`[rolling] answers ${JSON.stringify(counts)} stops ${JSON.stringify(drained)}\n`);
    expect(Object.keys(counts)).toEqual(["OK"]);
    expect(counts.OK).toBeGreaterThan(50);
    for (const d of drained) {
      expect(d.exitCode).toBe(0);
      // The pod's terminationGracePeriodSeconds is 30 (infra/deploy/k8s).
      expect(d.stopMs).toBeLessThan(15_000);
    }
  }, 240_000);
});
