import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { envelope, getPaymentXml, verifyXml } from "../test/harness/nodo/soap-requests.ts";
import { post, startStation, type Station } from "../test/harness/nodo/station-harness.ts";
import {
  businessRowCounts,
  makeStationTenant,
  singleNotice,
  type StationTenant,
} from "../test/harness/nodo/fixtures.ts";
import { checkCollectedAnswersAgainstXsd, eventually, expectOk } from "../test/harness/nodo/helpers.ts";

// Hostile and broken input: answered quickly with a SOAP Fault or a 4xx, nothing stored, and
// the station keeps serving.
describe("paForNode station: hostile input", () => {
  let station: Station;
  let ec: StationTenant;
  let nav: string;

  beforeAll(async () => {
    station = await startStation();
    ec = await makeStationTenant(station.deps.db);
    nav = (await singleNotice(station.deps.db, ec.tenant)).nav;
  });
  afterAll(() => station?.stop());

  const billionLaughs =
    `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ""};`.repeat(10)}">`).join("")}]>` +
    envelope(`<pafn:paVerifyPaymentNoticeReq><idPA>&lol9;</idPA></pafn:paVerifyPaymentNoticeReq>`);
  const xxe =
    `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>` +
    envelope(`<pafn:paVerifyPaymentNoticeReq><idPA>&xxe;</idPA></pafn:paVerifyPaymentNoticeReq>`);
  const soap12 = `<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:pafn="http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd"><env:Body><pafn:paVerifyPaymentNoticeReq/></env:Body></env:Envelope>`;

  const cases: Array<
    [string, () => { body: string | Buffer; headers?: Record<string, string> }, (status: number, body: string) => void]
  > = [
    [
      "malformed XML",
      () => ({ body: verifyXml(ec.routing, nav).replace("</qrCode>", "") }),
      (s, b) => expect([s, b]).toEqual([500, expect.stringContaining("soapenv:Client")]),
    ],
    [
      "an external entity (XXE) to /etc/passwd",
      () => ({ body: xxe }),
      (s, b) => {
        expect(s).toBe(400);
        expect(b).not.toContain("root:");
      },
    ],
    [
      "billion laughs",
      () => ({ body: billionLaughs }),
      (s, b) => {
        expect(s).toBe(400);
        expect(b.length).toBeLessThan(2_000);
      },
    ],
    ["a 10 MB body", () => ({ body: Buffer.alloc(10 * 1024 * 1024, "a") }), (s) => expect(s).toBe(413)],
    [
      "SOAP 1.2 envelope as text/xml",
      () => ({ body: soap12 }),
      (s, b) => expect([s, b]).toEqual([500, expect.stringContaining("soapenv:VersionMismatch")]),
    ],
    [
      "SOAP 1.2 content type",
      () => ({ body: soap12, headers: { "content-type": 'application/soap+xml; charset=utf-8; action="x"' } }),
      (s) => expect(s).toBe(415),
    ],
    [
      "a JSON content type",
      () => ({ body: "{}", headers: { "content-type": "application/json" } }),
      (s) => expect(s).toBe(415),
    ],
    [
      "an envelope without Body",
      () => ({
        body: `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header/></soapenv:Envelope>`,
      }),
      (s, b) => expect([s, b]).toEqual([500, expect.stringContaining("soapenv:Client")]),
    ],
    ["not SOAP at all", () => ({ body: "<html><body>hello</body></html>" }), (s) => expect(s).toBe(500)],
    [
      "bytes that are not UTF-8",
      () => ({ body: Buffer.from([0x3c, 0x61, 0xff, 0xfe, 0x3e]) }),
      (s) => expect(s).toBe(400),
    ],
    ["an empty body", () => ({ body: "" }), (s) => expect(s).toBe(500)],
  ];

  it.each(cases.map(([name, make, check]) => ({ name, make, check })))(
    "refuses $name quickly, stores nothing, keeps serving",
    async ({ make, check }) => {
      const before = await businessRowCounts(station.deps.db);
      const { body, headers } = make();
      const started = Date.now();
      const reply = await post(station.url, body, headers);
      expect(Date.now() - started).toBeLessThan(2_000);
      check(reply.status, reply.body);
      expect(reply.body).toMatch(/^<\?xml[^>]*\?><soapenv:Envelope/);
      expect(await businessRowCounts(station.deps.db)).toEqual(before);
      expectOk(await post(station.url, verifyXml(ec.routing, nav)));
    },
  );

  it("journals a request carrying a NUL character, and the rest of its batch with it", async () => {
    const id = `nul-${Date.now()}`;
    // PostgreSQL text cannot hold U+0000: unless the journal replaces it, the whole batch fails.
    const [, ok] = await Promise.all([
      post(station.url, verifyXml(ec.routing, nav).replace("<soapenv:Body>", "<soapenv:Body>\u0000"), {
        "x-request-id": `${id}-a`,
      }),
      post(station.url, verifyXml(ec.routing, nav), { "x-request-id": `${id}-b` }),
    ]);
    expectOk(ok);
    const rows = await eventually(async () => {
      const found = await station.deps.db.withPlatformScope("test: journal rows by request id", (tx) =>
        tx.nodoMessage.findMany({
          where: { requestId: { in: [`${id}-a`, `${id}-b`] } },
          orderBy: { requestId: "asc" },
        }),
      );
      expect(found).toHaveLength(2);
      return found;
    });
    expect(rows[0]!.requestXml).toContain("<soapenv:Body>\uFFFD");
    expect(rows[1]!.outcome).toBe("OK");
  });

  it("does not let a wrong namespace or a hostile header take a lock", async () => {
    const before = await businessRowCounts(station.deps.db);
    const wrongNs = getPaymentXml(ec.routing, nav, { token: "X" }).replace(
      'xmlns:pafn="http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd"',
      'xmlns:pafn="urn:evil"',
    );
    expect((await post(station.url, wrongNs)).faultCode).toBe("PAA_SINTASSI_XSD");
    expect(await businessRowCounts(station.deps.db)).toEqual(before);
  });

  it("serves its own WSDL and XSD", async () => {
    const wsdl = await fetch(`${station.url}?wsdl`);
    expect(wsdl.status).toBe(200);
    const text = await wsdl.text();
    expect(text).toContain(`<soap:address location="${station.url}"/>`);
    expect(text).toContain('soapAction="paGetPaymentV2"');
    const xsd = await fetch(`${station.url}?xsd=pa-for-node.xsd`);
    expect(await xsd.text()).toContain('targetNamespace="http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd"');
  });

  checkCollectedAnswersAgainstXsd(10);
});
