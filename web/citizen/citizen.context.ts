import type { Deps } from "../../server/platform/deps.ts";
import type { CheckoutClient } from "../../server/nodo/checkout/index.ts";
import type { CartStore } from "./cart.store.ts";

/** What the portal's page handlers need, built once when the router is created. */
export interface CitizenContext {
  deps: Deps;
  carts: CartStore;
  checkout: CheckoutClient;
  secureCookies: boolean;
}

export const CART_COOKIE = "pp_cart";
