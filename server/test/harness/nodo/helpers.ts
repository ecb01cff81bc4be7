import { expect, it } from "vitest";
import { collectedCount, officialXsd, OWN_XSD, validateCollectedResponses, type SoapReply } from "./station-harness.ts";

/** Retries `check` until it stops throwing (for work done just after the answer, e.g. the journal). */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 3_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > end) throw err;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

export function expectOk(reply: SoapReply): void {
  expect(reply.status, reply.body).toBe(200);
  expect(reply.outcome, reply.body).toBe("OK");
}

export function expectFault(reply: SoapReply, faultCode: string): void {
  expect(reply.status, reply.body).toBe(200);
  expect(reply.outcome, reply.body).toBe("KO");
  expect(reply.faultCode, reply.body).toBe(faultCode);
}

type Plain = Record<string, unknown>;
export const dataOf = (reply: SoapReply) => reply.payload.data as Plain;
export const transfersOf = (reply: SoapReply) => (dataOf(reply).transferList as Plain).transfer as Plain[];
export const optionOf = (reply: SoapReply) => (reply.payload.paymentList as Plain).paymentOptionDescription as Plain;

/**
 * Registers, at the end of a suite, the checks that every paForNode answer it received is valid
 * against the project's pa-for-node.xsd and the official paForNode.xsd (the latter skipped with
 * a message when PAGOPA_SPECS_DIR does not hold it).
 */
export function checkCollectedAnswersAgainstXsd(minimum: number): void {
  it("every answer of this suite validates against the project's own pa-for-node.xsd", async () => {
    expect(collectedCount()).toBeGreaterThanOrEqual(minimum);
    expect(await validateCollectedResponses(OWN_XSD)).toBe(collectedCount());
  });
  it.skipIf(!officialXsd())(
    "every answer of this suite validates against the official paForNode.xsd (skipped when PAGOPA_SPECS_DIR lacks it)",
    async () => {
      expect(await validateCollectedResponses(officialXsd()!)).toBe(collectedCount());
    },
  );
}
