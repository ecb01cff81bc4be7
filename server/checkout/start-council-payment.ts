import type { Tenant } from "../generated/prisma/client.ts";
import { AppError } from "../platform/errors.ts";
import { verifyPaymentNotice } from "../positions/index.ts";
import { cartConflict } from "./add-to-cart.ts";
import { MAX_CART_ITEMS, type Cart, type CartItem } from "./cart.store.ts";
import type { CheckoutDeps } from "./checkout-deps.ts";
import { saveCouncilPayment } from "./council-payment.store.ts";
import { handToCheckout } from "./hand-to-checkout.ts";
import { isPayableTenant } from "./payable-tenant.ts";
import { checkReturnUrl } from "./return-url.ts";

export interface CouncilPaymentInput {
  clientId: string;
  /** The client's registered return-URL prefixes (none: it may not start payments). */
  returnUrlPrefixes: readonly string[];
  navs: readonly string[];
  returnUrls: { ok: string; cancel: string; error: string };
  payerEmail?: string;
}

export interface StartedCouncilPayment {
  paymentId: string;
  checkoutUrl: string;
  notices: Array<{ nav: string; iuv: string; amountCents: number }>;
}

/**
 * A payment started from a council's portal (issue 14 item 2): checks the return URLs against
 * the client's prefixes, checks each notice as the Nodo's verify would (payable now, amount > 0)
 * and the cart rules of the citizen portal (≤ 5 notices, a single payment never beside an
 * installment of its position), hands the cart to Checkout with OUR result page as return
 * address, and records where that page sends the citizen back. Notices are read in the tenant's
 * RLS scope: another council's notice number is unknown here.
 * @throws AppError RETURN_URL_REFUSED (422) | CART_INVALID (422) | CART_CONFLICT (409) | NOTICE_* | TENANT_NOT_PAYABLE (409)
 */
export async function startCouncilPayment(
  deps: CheckoutDeps,
  tenant: Tenant,
  input: CouncilPaymentInput,
  now = new Date(),
): Promise<StartedCouncilPayment> {
  for (const which of ["ok", "cancel", "error"] as const) {
    const check = checkReturnUrl(
      input.returnUrls[which],
      input.returnUrlPrefixes,
      deps.config.NODE_ENV === "production",
    );
    if (!check.ok) throw new AppError("RETURN_URL_REFUSED", `returnUrls.${which} refused: ${check.reason}`, 422);
  }
  if (input.navs.length < 1 || input.navs.length > MAX_CART_ITEMS)
    throw new AppError("CART_INVALID", `A payment takes 1 to ${MAX_CART_ITEMS} notices`, 422);
  if (new Set(input.navs).size !== input.navs.length)
    throw new AppError("CART_INVALID", "The same notice appears twice in the payment", 422);
  if (!isPayableTenant(tenant, deps.config.NODE_ENV === "production"))
    throw new AppError("TENANT_NOT_PAYABLE", "This council cannot take payments on pagoPA yet", 409);

  const cart: Cart = { items: [] };
  const notices: StartedCouncilPayment["notices"] = [];
  for (const [i, nav] of input.navs.entries()) {
    const notice = await verifyPaymentNotice(deps.db, deps.amountRules, tenant, nav, { now }).catch((err: unknown) => {
      if (err instanceof AppError) throw new AppError(err.code, `items[${i}] (${nav}): ${err.message}`, err.status);
      throw err;
    });
    if (notice.amountCents <= 0) throw new AppError("CART_INVALID", `items[${i}] (${nav}): nothing to pay`, 422);
    const item: CartItem = {
      tenantId: tenant.id,
      ipaCode: tenant.ipaCode,
      creditorFiscalCode: tenant.fiscalCode,
      companyName: tenant.name,
      nav,
      amountCents: notice.amountCents,
      description: notice.description.slice(0, 140),
      positionId: notice.positionId,
      installment: notice.installment,
      debtorKnown: true,
    };
    const conflict = cartConflict(cart, item);
    if (conflict)
      throw new AppError(
        "CART_CONFLICT",
        `items[${i}] (${nav}): the single payment and an installment of one position cannot be paid together`,
        409,
      );
    cart.items.push(item);
    notices.push({ nav, iuv: notice.iuv, amountCents: notice.amountCents });
  }

  const paymentId = deps.carts.newId();
  const base = deps.config.PUBLIC_BASE_URL.replace(/\/+$/, "");
  const checkoutUrl = await handToCheckout(deps, cart.items, {
    checkoutId: paymentId,
    back: (outcome) => `${base}/pagamenti/esito-ente/${paymentId}?esito=${outcome}`,
    email: input.payerEmail,
    now,
  });
  await saveCouncilPayment(deps.redis, deps.config.QUEUE_PREFIX, {
    id: paymentId,
    tenantId: tenant.id,
    clientId: input.clientId,
    items: cart.items,
    returnUrls: input.returnUrls,
    checkoutUrl,
    createdAt: now,
  });
  return { paymentId, checkoutUrl, notices };
}
