import type { Request, Response } from "express";
import { z } from "zod";
import type { Deps } from "../../server/platform/deps.ts";
import { addToCart, type AddedToCart, type CheckoutDeps, type NoticeLookup } from "../../server/checkout/index.ts";
import { readCookie } from "../shared/csrf.ts";

/** What the portal's page handlers need, built once when the router is created. */
export interface CitizenContext {
  deps: Deps;
  /** The checkout module's dependencies (cart store, Checkout client). */
  checkout: CheckoutDeps;
  secureCookies: boolean;
}

export const CART_COOKIE = "pp_cart";

/** The cart id the visitor's cookie holds (the checkout module checks its form). */
export function cartIdOf(req: Request): string | undefined {
  return readCookie(req.headers.cookie, CART_COOKIE);
}

/** Sets the cart cookie when the checkout module opened a new cart for this visitor. */
export function keepCart(ctx: CitizenContext, res: Response, added: Pick<AddedToCart, "cartId" | "created">): void {
  if (added.created)
    res.cookie(CART_COOKIE, added.cartId, {
      httpOnly: true,
      sameSite: "lax",
      secure: ctx.secureCookies,
      path: "/",
      maxAge: 24 * 3600_000,
    });
}

/**
 * Puts a notice found by code or by signed link into the visitor's cart (keeping the cart cookie)
 * and sends them to the cart: the one way both doors add a notice.
 */
export async function addFoundNoticeToCart(
  ctx: CitizenContext,
  req: Request,
  res: Response,
  found: Extract<NoticeLookup, { found: true }>,
): Promise<void> {
  const { tenant, notice, debtorKnown } = found;
  const added = await addToCart(ctx.checkout, cartIdOf(req), {
    tenantId: tenant.id,
    ipaCode: tenant.ipaCode,
    creditorFiscalCode: tenant.fiscalCode,
    companyName: tenant.name,
    nav: notice.nav,
    amountCents: notice.amountCents,
    description: notice.description.slice(0, 140),
    positionId: notice.positionId,
    installment: notice.installment,
    debtorKnown,
  });
  keepCart(ctx, res, added);
  res.redirect(303, "/carrello");
}

const loggedIn = z.object({
  fiscalCode: z.string(),
  name: z.string(),
  email: z.string().nullable().catch(null).default(null),
});
export type LoggedInCitizen = z.infer<typeof loggedIn>;

/** The SPID citizen of this request (set in `res.locals.citizen` by the portal's router), or null. */
export function citizenOf(res: Response): LoggedInCitizen | null {
  const parsed = loggedIn.safeParse(res.locals.citizen);
  return parsed.success ? parsed.data : null;
}
