import { setTimeout as sleep } from "node:timers/promises";
import { AppError } from "../../platform/errors.ts";
import type { Logger } from "../../platform/observability/logger.ts";
import { cartRequestSchema, type CartRequest } from "./cart.schema.ts";

export interface CheckoutClientConfig {
  /** e.g. https://<checkout host>/checkout/ec/v2, or the simulator's in development. */
  baseUrl: string;
  /** The intermediary's subscription key (Ocp-Apim-Subscription-Key). */
  subscriptionKey?: string;
  timeoutMs: number;
  /** Further attempts after the first, on network errors, timeouts and 5xx answers. */
  retries: number;
}

export interface CheckoutClient {
  /** Creates a cart of 1-5 notices and returns the Checkout URL to send the citizen to. */
  createCart(cart: CartRequest): Promise<{ checkoutUrl: string; attempts: number }>;
}

class RetryableError extends Error {}

/**
 * Client of pagoPA Checkout's `POST /carts` (v2). Checkout answers 302 with the URL of its
 * payment page. Creating a cart has no side effect on the notices (the payment itself is run by
 * the Nodo against our station), so retrying after a timeout is safe.
 */
export function createCheckoutClient(config: CheckoutClientConfig, logger: Logger): CheckoutClient {
  const endpoint = `${config.baseUrl.replace(/\/+$/, "")}/carts`;

  async function attempt(body: string): Promise<string> {
    let res: Response;
    try {
      res = await fetch(endpoint, {
        method: "POST",
        redirect: "manual",
        headers: {
          "content-type": "application/json",
          ...(config.subscriptionKey ? { "Ocp-Apim-Subscription-Key": config.subscriptionKey } : {}),
        },
        body,
        signal: AbortSignal.timeout(config.timeoutMs),
      });
    } catch (err) {
      throw new RetryableError(`Checkout not reachable: ${(err as Error).message}`);
    }
    const location = res.headers.get("location");
    if (res.status === 302 && location) return location;
    const detail = await res.text().catch(() => "");
    if (res.status >= 500 || res.status === 429) throw new RetryableError(`Checkout answered ${res.status}`);
    throw new AppError("CHECKOUT_REJECTED", `Checkout refused the cart (${res.status}): ${detail.slice(0, 300)}`, 502);
  }

  return {
    async createCart(cart) {
      const body = JSON.stringify(cartRequestSchema.parse(cart));
      for (let i = 0; ; i++) {
        try {
          const checkoutUrl = await attempt(body);
          return { checkoutUrl, attempts: i + 1 };
        } catch (err) {
          if (!(err instanceof RetryableError)) throw err;
          if (i >= config.retries) {
            throw new AppError("CHECKOUT_UNAVAILABLE", `${err.message} after ${i + 1} attempts`, 503);
          }
          logger.warn({ attempt: i + 1, reason: err.message }, "retrying Checkout POST /carts");
          await sleep(Math.min(200 * 2 ** i, 2_000));
        }
      }
    },
  };
}
