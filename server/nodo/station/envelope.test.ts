import { describe, expect, it } from "vitest";
import { EnvelopeError, PA_FOR_NODE_NS, parseEnvelope, STATION_HEADER_NS } from "./envelope.ts";

const soap = (body: string, header = "") =>
  `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:p="${PA_FOR_NODE_NS}">${header}<s:Body>${body}</s:Body></s:Envelope>`;

const verify = `<p:paVerifyPaymentNoticeReq><idPA>00345670210</idPA><idBrokerPA>80015570270</idBrokerPA><idStation>80015570270_01</idStation><qrCode><fiscalCode>00345670210</fiscalCode><noticeNumber>301000000000000150</noticeNumber></qrCode></p:paVerifyPaymentNoticeReq>`;

const problem = (xml: string) => {
  try {
    parseEnvelope(xml);
  } catch (err) {
    return err instanceof EnvelopeError ? err.problem : "other";
  }
  return "none";
};

describe("parseEnvelope", () => {
  it("reads the operation element, its namespace and its children as strings", () => {
    const parsed = parseEnvelope(soap(verify));
    expect(parsed.element).toBe("paVerifyPaymentNoticeReq");
    expect(parsed.namespace).toBe(PA_FOR_NODE_NS);
    expect(parsed.payload).toEqual({
      idPA: "00345670210",
      idBrokerPA: "80015570270",
      idStation: "80015570270_01",
      qrCode: { fiscalCode: "00345670210", noticeNumber: "301000000000000150" },
    });
  });

  it("keeps leading zeros and decodes the predefined entities", () => {
    const parsed = parseEnvelope(soap(`<p:x><a>0007</a><b>A &amp; B &lt;C&gt; &#233;</b></p:x>`));
    expect(parsed.payload).toEqual({ a: "0007", b: "A & B <C> é" });
  });

  it("resolves a default namespace declared on the operation element", () => {
    const parsed = parseEnvelope(
      soap(`<paSendRTV2Request xmlns="${PA_FOR_NODE_NS}"><idPA>1</idPA></paSendRTV2Request>`),
    );
    expect(parsed.namespace).toBe(PA_FOR_NODE_NS);
    expect(parsed.element).toBe("paSendRTV2Request");
  });

  it("reports the namespace actually used, so a wrong one can be refused", () => {
    const xml = `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><n:paVerifyPaymentNoticeReq xmlns:n="http://example.org/other"/></s:Body></s:Envelope>`;
    expect(parseEnvelope(xml).namespace).toBe("http://example.org/other");
  });

  it("always makes lists of transfers and map entries, and arrays of repeated single elements", () => {
    const one = parseEnvelope(
      soap(`<p:x><transferList><transfer><a>1</a></transfer></transferList><idPA>1</idPA><idPA>2</idPA></p:x>`),
    );
    expect(one.payload).toEqual({ transferList: { transfer: [{ a: "1" }] }, idPA: ["1", "2"] });
  });

  it("reads the station's own header elements only in its namespace", () => {
    const header = `<s:Header><h:paymentToken xmlns:h="${STATION_HEADER_NS}">tok-1</h:paymentToken><o:paymentToken xmlns:o="urn:other">x</o:paymentToken></s:Header>`;
    expect(parseEnvelope(soap(verify, header)).headers).toEqual({ paymentToken: "tok-1" });
  });

  it("never lets an element named __proto__ reach an object prototype", () => {
    expect(problem(soap(`<p:x><__proto__><polluted>yes</polluted></__proto__></p:x>`))).toBe("MALFORMED");
    const parsed = parseEnvelope(
      soap(`<p:x><q:__proto__ xmlns:q="urn:q"><polluted>yes</polluted></q:__proto__></p:x>`),
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(parsed.payload as object)).toEqual(["!__proto__"]);
  });

  it("refuses absurdly deep nesting", () => {
    expect(problem(soap(`<p:x>${"<a>".repeat(60)}${"</a>".repeat(60)}</p:x>`))).toBe("MALFORMED");
  });

  it("refuses DTDs and entity declarations before parsing", () => {
    expect(problem(`<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${soap(verify)}`)).toBe(
      "DTD",
    );
    expect(problem(`<!doctype html>${soap(verify)}`)).toBe("DTD");
    expect(problem(soap(`<p:x><!ENTITY a "b"></p:x>`))).toBe("DTD");
  });

  it("tells malformed XML, SOAP 1.2, non-SOAP documents and empty bodies apart", () => {
    expect(problem(soap(`<p:x><a></p:x>`))).toBe("MALFORMED");
    expect(problem("not xml at all")).toBe("MALFORMED");
    expect(
      problem(`<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body>${verify}</e:Body></e:Envelope>`),
    ).toBe("VERSION");
    expect(problem(`<Envelope><Body>${verify}</Body></Envelope>`)).toBe("NOT_SOAP");
    expect(problem(`<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header/></s:Envelope>`)).toBe(
      "NO_BODY",
    );
    expect(problem(soap(""))).toBe("NO_BODY");
    expect(problem(soap(`${verify}${verify}`))).toBe("NO_BODY");
  });
});
