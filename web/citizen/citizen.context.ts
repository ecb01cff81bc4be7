import type { Request, Response } from "express";
import { z } from "zod";
import type { Deps } from "../../server/platform/deps.ts";
import type { AddedToCart, CheckoutDeps } from "../../server/checkout/index.ts";
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
