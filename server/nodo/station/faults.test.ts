import { describe, expect, it } from "vitest";
import { AppError, type ErrorCode } from "../../platform/errors.ts";
import { faultFromError, FAULT_STRINGS, StationFault } from "./faults.ts";
import { koResponse, okResponse, soapFault } from "./soap-messages.ts";

describe("fault mapping", () => {
  it.each([
    ["NOTICE_UNKNOWN", "PAA_PAGAMENTO_SCONOSCIUTO"],
    ["NOTICE_PAID", "PAA_PAGAMENTO_DUPLICATO"],
    ["NOTICE_EXPIRED", "PAA_PAGAMENTO_SCADUTO"],
    ["NOTICE_CANCELLED", "PAA_PAGAMENTO_ANNULLATO"],
    ["NOTICE_IN_PROGRESS", "PAA_PAGAMENTO_IN_CORSO"],
    ["RECEIPT_DUPLICATE", "PAA_RECEIPT_DUPLICATA"],
    ["DEMAND_NOT_AVAILABLE", "PAA_SEMANTICA"],
    ["NOTICE_NEEDS_STAMP_SUPPORT", "PAA_SEMANTICA"],
  ] as Array<[ErrorCode, string]>)("maps the domain error %s to %s", (code, fault) => {
    const body = faultFromError(new AppError(code, "internal text", 409));
    expect(body.faultCode).toBe(fault);
    expect(body.faultString).toBe(FAULT_STRINGS[fault as keyof typeof FAULT_STRINGS]);
  });

  it("passes station faults through with their description", () => {
    expect(faultFromError(new StationFault("PAA_ID_DOMINIO_ERRATO", "Ente 1 sconosciuto"))).toEqual({
      faultCode: "PAA_ID_DOMINIO_ERRATO",
      faultString: FAULT_STRINGS.PAA_ID_DOMINIO_ERRATO,
      description: "Ente 1 sconosciuto",
    });
  });

  it("hides everything else behind PAA_SYSTEM_ERROR without leaking the message", () => {
    for (const err of [
      new Error("connection refused at 10.0.0.5"),
      new AppError("INTERNAL", "secret detail"),
      "boom",
      null,
    ]) {
      const body = faultFromError(err);
      expect(body.faultCode).toBe("PAA_SYSTEM_ERROR");
      expect(body.description).not.toMatch(/10\.0\.0\.5|secret/);
    }
  });
});

describe("SOAP messages", () => {
  it("writes OK answers with a qualified root and unqualified children", () => {
    const xml = okResponse("paSendRTV2Response");
    expect(xml).toContain("<pafn:paSendRTV2Response><outcome>OK</outcome></pafn:paSendRTV2Response>");
    expect(xml).toContain('xmlns:pafn="http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd"');
  });

  it("writes KO answers with the fault bean in XSD order", () => {
    const xml = koResponse("paVerifyPaymentNoticeRes", faultFromError(new AppError("NOTICE_PAID", "x")), "00345670210");
    expect(xml).toMatch(
      /<outcome>KO<\/outcome><fault><faultCode>PAA_PAGAMENTO_DUPLICATO<\/faultCode><faultString>[^<]+<\/faultString><id>00345670210<\/id><description>[^<]+<\/description><\/fault>/,
    );
  });

  it("writes SOAP 1.1 faults with escaped text", () => {
    expect(soapFault("VersionMismatch", "a<b")).toContain(
      "<faultcode>soapenv:VersionMismatch</faultcode><faultstring>a&lt;b</faultstring>",
    );
  });
});
