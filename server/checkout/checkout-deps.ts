import type { Redis } from "ioredis";
import type { AppConfig } from "../config/env.ts";
import type { Database } from "../platform/db/database.ts";
import type { Logger } from "../platform/observability/logger.ts";
import type { PdfRenderer } from "../platform/pdf/index.ts";
import type { AmountRules } from "../catalog/index.ts";
import { createCheckoutClient, type CheckoutClient } from "../nodo/checkout/index.ts";
import { CartStore } from "./cart.store.ts";

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
  client: CheckoutClient;
}

type BaseDeps = Omit<CheckoutDeps, "carts" | "client" | "config"> & {
  config: CheckoutDeps["config"] &
    Pick<AppConfig, "CHECKOUT_BASE_URL" | "CHECKOUT_SUBSCRIPTION_KEY" | "CHECKOUT_TIMEOUT_MS" | "CHECKOUT_RETRIES">;
};

/** Builds the module's dependencies once (per router), from the process's `Deps`. */
export function createCheckoutDeps(deps: BaseDeps, client?: CheckoutClient): CheckoutDeps {
  const { config } = deps;
  return {
    db: deps.db,
    redis: deps.redis,
    pdf: deps.pdf,
    logger: deps.logger,
    amountRules: deps.amountRules,
    config,
    carts: new CartStore(deps.redis, `${config.QUEUE_PREFIX}:portal`),
    client:
      client ??
      createCheckoutClient(
        {
          baseUrl: config.CHECKOUT_BASE_URL,
          subscriptionKey: config.CHECKOUT_SUBSCRIPTION_KEY,
          timeoutMs: config.CHECKOUT_TIMEOUT_MS,
          retries: config.CHECKOUT_RETRIES,
        },
        deps.logger,
      ),
  };
}
