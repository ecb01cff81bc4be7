import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { bodyElement, XsdChecker } from "./xsd-check.ts";
import { envelope, PA_FOR_NODE_NS } from "./soap.ts";

const specs = path.resolve(
  process.env.PAGOPA_SPECS_DIR ?? path.join(import.meta.dirname, "../../../shared/specs/pagopa"),
);
const hasSpecs = existsSync(path.join(specs, "wsdl/xsd/paForNode.xsd"));

describe("checking the station's answers against the official XSD", () => {
  it("extracts the Body's element with its namespace", () => {
    const doc = bodyElement(
      envelope("<pafn:paVerifyPaymentNoticeRes><outcome>OK</outcome></pafn:paVerifyPaymentNoticeRes>"),
    );
    expect(doc).toBe(
      `<pafn:paVerifyPaymentNoticeRes xmlns:pafn="${PA_FOR_NODE_NS}"><outcome>OK</outcome></pafn:paVerifyPaymentNoticeRes>`,
    );
    expect(bodyElement(`<Envelope><Body><x:a xmlns:x="urn:x"/></Body></Envelope>`)).toBeUndefined();
  });

  it.skipIf(!hasSpecs)("accepts a valid answer and records a violation for an invalid one", async () => {
    const logged: string[] = [];
    const checker = new XsdChecker(specs, (_level, msg) => logged.push(msg));
    const fault = `<outcome>KO</outcome><fault><faultCode>PAA_PAGAMENTO_SCONOSCIUTO</faultCode><faultString>x</faultString><id>00345670210</id></fault>`;
    expect(
      await checker.check(
        "paVerifyPaymentNotice",
        envelope(`<pafn:paVerifyPaymentNoticeRes>${fault}</pafn:paVerifyPaymentNoticeRes>`),
      ),
    ).toBeUndefined();
    const bad = await checker.check(
      "paVerifyPaymentNotice",
      envelope("<pafn:paVerifyPaymentNoticeRes><outcome>MAYBE</outcome></pafn:paVerifyPaymentNoticeRes>"),
    );
    expect(bad?.message).toMatch(/outcome/);
    expect(checker.violations).toHaveLength(1);
    expect(logged.join("\n")).toMatch(/VIOLATES paForNode.xsd/);
  });

  it("says once, without failing, when the official files are absent", async () => {
    const logged: string[] = [];
    const checker = new XsdChecker("/nonexistent", (_l, msg) => logged.push(msg));
    expect(await checker.check("paVerifyPaymentNotice", "<junk/>")).toBeUndefined();
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/will not be schema-checked/);
  });
});
