import { AppError } from "../platform/errors.ts";
import { getNoticePaymentStatus, type NoticePaymentStatus } from "../positions/index.ts";
import type { CheckoutDeps } from "./checkout-deps.ts";
import { loadCouncilPayment, type CouncilPayment } from "./council-payment.store.ts";
import { CHECKOUT_OUTCOMES, type CheckoutOutcome } from "./hand-to-checkout.ts";
import { councilReturnUrl } from "./return-url.ts";

export interface CouncilPaymentStatus {
  payment: CouncilPayment;
  notices: NoticePaymentStatus[];
  allPaid: boolean;
}

/**
 * Where a council-started payment stands, for that council only: another tenant's payment id is
 * "not found", like an unknown one.
 * @throws AppError NOT_FOUND
 */
export async function getCouncilPayment(
  deps: Pick<CheckoutDeps, "db" | "redis" | "config">,
  tenantId: string,
  paymentId: string,
): Promise<CouncilPaymentStatus> {
  const payment = await loadCouncilPayment(deps.redis, deps.config.QUEUE_PREFIX, paymentId);
  if (!payment || payment.tenantId !== tenantId) throw new AppError("NOT_FOUND", "Payment not found", 404);
  const notices = await Promise.all(payment.items.map((i) => getNoticePaymentStatus(deps.db, tenantId, i.nav)));
  return { payment, notices, allPaid: notices.every((n) => n.status === "PAID") };
}

/**
 * Where Checkout's return lands the citizen: the council's URL for that outcome, as registered
 * when the payment started (never a URL from the request), with `paymentId` and `esito`. A
 * waiting outcome goes to the success URL with `esito=attesa` (the portal reads the status).
 * Null for an unknown payment.
 */
export async function councilReturnFor(
  deps: Pick<CheckoutDeps, "redis" | "config">,
  paymentId: string,
  esito: unknown,
): Promise<string | null> {
  const payment = await loadCouncilPayment(deps.redis, deps.config.QUEUE_PREFIX, paymentId);
  if (!payment) return null;
  const outcome: CheckoutOutcome =
    typeof esito === "string" && esito in CHECKOUT_OUTCOMES ? (esito as CheckoutOutcome) : "attesa";
  const base =
    outcome === "annullato"
      ? payment.returnUrls.cancel
      : outcome === "errore"
        ? payment.returnUrls.error
        : payment.returnUrls.ok;
  return councilReturnUrl(base, payment.id, outcome);
}
