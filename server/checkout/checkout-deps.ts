import type { Redis } from "ioredis";
import type { AppConfig } from "../config/env.ts";
import type { Database } from "../platform/db/database.ts";
import type { Logger } from "../platform/observability/logger.ts";
import type { PdfRenderer } from "../platform/pdf/index.ts";
import type { AmountRules } from "../catalog/index.ts";
import { CartStore } from "./cart.store.ts";

/**
 * The part of pagoPA Checkout's EC API this module uses (`POST /carts`, amounts in cents). The
 * client lives in `nodo/checkout/` (protocol side); the composition root passes it in, so this
 * domain module never imports the protocol side.
 */
export interface CheckoutCarts {
  createCart(cart: {
    paymentNotices: Array<{
      noticeNumber: string;
      fiscalCode: string;
      amount: number;
      companyName: string;
      description: string;
    }>;
    returnUrls: { returnOkUrl: string; returnCancelUrl: string; returnErrorUrl: string; returnWaitingUrl: string };
    idCart?: string;
    emailNotice?: string;
  }): Promise<{ checkoutUrl: string }>;
}

/** What the checkout use cases need: the cart store they own and pagoPA Checkout's client. */
export interface CheckoutDeps {
  db: Database;
  redis: Redis;
  pdf: PdfRenderer;
  logger: Logger;
  /** Amount-rule plug-ins: the live amount of a notice and of a service, as the Nodo gets it. */
  amountRules: AmountRules;
  config: Pick<AppConfig, "PUBLIC_BASE_URL" | "QUEUE_PREFIX" | "NODE_ENV">;
  carts: CartStore;
  client: CheckoutCarts;
}

type BaseDeps = Omit<CheckoutDeps, "carts" | "client">;

/** Builds the module's dependencies once (per router), from the process's `Deps` and Checkout's client. */
export function createCheckoutDeps(deps: BaseDeps, client: CheckoutCarts): CheckoutDeps {
  return {
    db: deps.db,
    redis: deps.redis,
    pdf: deps.pdf,
    logger: deps.logger,
    amountRules: deps.amountRules,
    config: deps.config,
    carts: new CartStore(deps.redis, `${deps.config.QUEUE_PREFIX}:portal`),
    client,
  };
}
