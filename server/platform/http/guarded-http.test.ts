import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GuardedHttp, isForbiddenAddress } from "./guarded-http.ts";

describe("guarded outbound HTTP", () => {
  const hits: string[] = [];
  let server: http.Server;
  let port = 0;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      hits.push(req.url!);
      req.resume();
      if (req.url === "/redirect") return res.writeHead(302, { location: "/elsewhere" }).end();
      if (req.url === "/hang") return; // never answers
      res.writeHead(202).end("x".repeat(5000));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  // Names resolved by a fake DNS, as a rebinding or internal name would.
  const fakeDns = (hostname: string, cb: (err: Error | null, a: Array<{ address: string; family: number }>) => void) =>
    cb(
      null,
      hostname === "metadata.example"
        ? [{ address: "169.254.169.254", family: 4 }]
        : hostname === "intranet.example"
          ? [
              { address: "93.184.216.34", family: 4 },
              { address: "10.0.0.7", family: 4 },
            ]
          : hostname === "loop.example"
            ? [{ address: "127.0.0.1", family: 4 }]
            : [],
    );

  it("in production mode refuses 127.0.0.1, 10.0.0.0/8, 169.254.169.254 and names resolving to them", async () => {
    const guarded = new GuardedHttp({ blockPrivate: true, timeoutMs: 2000, resolveAll: fakeDns });
    for (const url of [
      `http://127.0.0.1:${port}/a`,
      "http://10.20.30.40/hook",
      "http://169.254.169.254/latest/meta-data",
      "http://[::1]/x",
      "http://[::ffff:127.0.0.1]/x",
      `http://localhost:${port}/a`,
      "http://metadata.example/latest",
      "http://intranet.example/hook",
      `http://loop.example:${port}/rebound`,
    ]) {
      await expect(guarded.post(url, {}, "{}"), url).rejects.toMatchObject({ code: "ETARGETFORBIDDEN" });
    }
    expect(hits).not.toContain("/rebound");
    expect(hits).not.toContain("/a");
    guarded.close();
  });

  it("classifies addresses", () => {
    for (const a of [
      "127.0.0.1",
      "10.255.0.1",
      "172.16.5.4",
      "192.168.1.1",
      "169.254.169.254",
      "::1",
      "fe80::1",
      "fd00::1",
      "::ffff:10.0.0.1",
      "0.0.0.0",
    ])
      expect(isForbiddenAddress(a), a).toBe(true);
    for (const a of ["93.184.216.34", "8.8.8.8", "2a00:1450:4002:402::200e"])
      expect(isForbiddenAddress(a), a).toBe(false);
  });

  it("outside production posts, keeps an excerpt, follows no redirect and times out", async () => {
    const client = new GuardedHttp({ blockPrivate: false, timeoutMs: 300, excerptChars: 100 });
    const ok = await client.post(`http://127.0.0.1:${port}/ok`, { "webhook-id": "e1" }, "{}");
    expect(ok).toMatchObject({ status: 202 });
    expect(ok.excerpt).toHaveLength(100);
    const redirected = await client.post(`http://127.0.0.1:${port}/redirect`, {}, "{}");
    expect(redirected.status).toBe(302);
    expect(hits).not.toContain("/elsewhere");
    const started = Date.now();
    await expect(client.post(`http://127.0.0.1:${port}/hang`, {}, "{}")).rejects.toMatchObject({ code: "ETIMEDOUT" });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(client.urlProblem("ftp://x.example/")).toMatch(/http/);
    client.close();
  });
});
