import { z } from "zod";
import { AppError } from "../../platform/errors.ts";
import type { NodoExchange, TestNodo, TestNotice } from "../../pagopa/index.ts";

export interface PspCounterConfig {
  /** Base URL of the test environment's PSP counter (in development the Nodo simulator's). */
  baseUrl: string;
  /** A payment drives three SOAP calls and a receipt with the Nodo's retries: allow for them. */
  timeoutMs: number;
}

const exchange = z.object({ operation: z.string(), outcome: z.string(), ms: z.number() });
const verifyAnswer = z.object({
  ok: z.boolean(),
  faultCode: z.string().optional(),
  ms: z.number().optional(),
  answer: z.record(z.string(), z.unknown()).default({}),
});
const payAnswer = z.object({
  ok: z.boolean(),
  error: z.string().optional(),
  steps: z.array(exchange).default([]),
  payment: z.object({ receiptId: z.string(), transfers: z.array(z.unknown()) }).optional(),
});

/** The amount of a paVerifyPaymentNotice answer (paymentList/paymentOptionDescription/amount, euro). */
function amountOf(answer: Record<string, unknown>): number | undefined {
  const list = answer.paymentList as Record<string, unknown> | undefined;
  const option = [list?.paymentOptionDescription].flat()[0] as Record<string, unknown> | undefined;
  const amount = Number(option?.amount);
  return Number.isFinite(amount) ? Math.round(amount * 100) : undefined;
}

/**
 * The test Nodo reached through a PSP counter: `POST /psp/verify` and `POST /psp/pay` with the
 * creditor's fiscal code, the notice number and the council's station; the counter drives paVerifyPaymentNotice,
 * paGetPaymentV2 and paSendRTV2 against the council's station as the Nodo does, and answers what
 * each call returned.
 */
export function createPspCounterClient(config: PspCounterConfig): TestNodo {
  const base = config.baseUrl.replace(/\/+$/, "");
  async function post(path: string, body: unknown): Promise<unknown> {
    const res = await fetch(`${base}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(config.timeoutMs),
    }).catch((err: Error) => {
      throw new AppError("TEST_NODO_UNREACHABLE", `the test Nodo's PSP counter is not reachable: ${err.message}`, 502);
    });
    // 422 is the counter's "payment not completed", with the same body.
    if (!res.ok && res.status !== 422)
      throw new AppError("TEST_NODO_REJECTED", `the test Nodo's PSP counter answered ${res.status} for ${path}`, 502);
    return res.json().catch(() => null);
  }
  const notice = (n: TestNotice) => ({
    fiscalCode: n.creditorFiscalCode,
    noticeNumber: n.nav,
    stationId: n.stationCode,
  });
  return {
    async verify(n) {
      const a = verifyAnswer.parse(await post("/psp/verify", notice(n)));
      const step: NodoExchange = {
        operation: "paVerifyPaymentNotice",
        outcome: a.ok ? "OK" : (a.faultCode ?? "KO"),
        ms: Math.round(a.ms ?? 0),
      };
      return {
        ok: a.ok,
        faultCode: a.faultCode,
        amountCents: a.ok ? amountOf(a.answer) : undefined,
        exchanges: [step],
      };
    },
    async pay(n) {
      const a = payAnswer.parse(await post("/psp/pay", notice(n)));
      return {
        ok: a.ok,
        error: a.error,
        receiptId: a.payment?.receiptId,
        transfers: a.payment?.transfers.length ?? 0,
        exchanges: a.steps,
      };
    },
  };
}
