import http from "node:http";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyXml } from "../test/harness/nodo/soap-requests.ts";
import { post, startStation, type Station } from "../test/harness/nodo/station-harness.ts";
import {
  businessRowCounts,
  makeStationTenant,
  singleNotice,
  type StationTenant,
} from "../test/harness/nodo/fixtures.ts";
import { eventually, expectOk } from "../test/harness/nodo/helpers.ts";

/** Sends `chunks` with chunked transfer encoding (no Content-Length), one write each. */
function postChunked(url: string, chunks: string[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: "POST", headers: { "content-type": "text/xml; charset=utf-8" } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

// POST /nodo/paForNode is served by a node:http handler in front of Express (station-http.ts):
// what Express and its middleware did for the route still happens.
describe("paForNode station: the lean HTTP door", () => {
  let station: Station;
  let ec: StationTenant;
  let nav: string;

  beforeAll(async () => {
    station = await startStation({ SOAP_BODY_LIMIT_BYTES: "4096" });
    ec = await makeStationTenant(station.deps.db);
    nav = (await singleNotice(station.deps.db, ec.tenant)).nav;
  });
  afterAll(() => station?.stop());

  it("echoes a safe X-Request-Id, replaces an unsafe one, and journals the answer under it", async () => {
    const id = `door-${Date.now()}`;
    const res = await fetch(station.url, {
      method: "POST",
      headers: { "content-type": "text/xml", "x-request-id": id },
      body: verifyXml(ec.routing, nav),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBe(id);
    expect(res.headers.get("content-type")).toBe("text/xml; charset=utf-8");
    expect(await res.text()).toContain("<outcome>OK</outcome>");
    const unsafe = await fetch(station.url, {
      method: "POST",
      headers: { "content-type": "text/xml", "x-request-id": "a b<c>" },
      body: verifyXml(ec.routing, nav),
    });
    expect(unsafe.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const row = await eventually(() =>
      station.deps.db.withPlatformScope("test: journal row by request id", (tx) =>
        tx.nodoMessage.findFirstOrThrow({ where: { requestId: id } }),
      ),
    );
    expect([row.operation, row.outcome, row.nav]).toEqual(["paVerifyPaymentNotice", "OK", nav]);
  });

  it("refuses a streamed body as soon as it passes the limit, stores nothing and keeps serving", async () => {
    const before = await businessRowCounts(station.deps.db);
    const reply = await postChunked(
      station.url,
      Array.from({ length: 8 }, () => "<a>".padEnd(1_000, " ")),
    );
    expect(reply.status).toBe(413);
    expect(reply.body).toContain("Richiesta troppo grande");
    // A streamed body within the limit is read whole.
    const xml = verifyXml(ec.routing, nav);
    const ok = await postChunked(station.url, [xml.slice(0, 100), xml.slice(100)]);
    expect([ok.status, ok.body]).toEqual([200, expect.stringContaining("<outcome>OK</outcome>")]);
    expect(await businessRowCounts(station.deps.db)).toEqual(before);
  });

  it("hands a compressed body to Express, which inflates it", async () => {
    const res = await fetch(station.url, {
      method: "POST",
      headers: { "content-type": "text/xml; charset=utf-8", "content-encoding": "gzip" },
      body: new Uint8Array(gzipSync(verifyXml(ec.routing, nav))),
    });
    expect([res.status, await res.text()]).toEqual([200, expect.stringContaining("<outcome>OK</outcome>")]);
  });

  it("still times the route and leaves health, metrics and the WSDL to Express", async () => {
    expectOk(await post(station.url, verifyXml(ec.routing, nav)));
    const base = station.url.replace("/nodo/paForNode", "");
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(
      /pontepa_http_request_duration_seconds_count\{[^}]*route="\/nodo\/paForNode"[^}]*status="200"/,
    );
    expect(metrics).toMatch(/pontepa_nodo_answers_total\{[^}]*operation="paVerifyPaymentNotice"/);
    expect((await fetch(`${station.url}?wsdl`)).status).toBe(200);
  });
});
