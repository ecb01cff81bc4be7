import { afterEach, describe, expect, it } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createCheckoutClient } from "./checkout-client.ts";
import { createLogger } from "../../platform/observability/logger.ts";

const logger = createLogger({ level: "silent", role: "test" });
const cart = {
  paymentNotices: [
    {
      noticeNumber: "302000000000000184",
      fiscalCode: "00345670210",
      amount: 1500,
      companyName: "Comune",
      description: "Diritti",
    },
  ],
  returnUrls: {
    returnOkUrl: "http://127.0.0.1:3000/ok",
    returnCancelUrl: "http://127.0.0.1:3000/ko",
    returnErrorUrl: "http://127.0.0.1:3000/err",
    returnWaitingUrl: "http://127.0.0.1:3000/wait",
  },
  idCart: "cart-1",
};

let server: http.Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

/** A stand-in Checkout answering from a script of (status, delay) steps; records requests. */
async function fakeCheckout(steps: Array<{ status: number; delayMs?: number }>) {
  const seen: Array<{ headers: http.IncomingHttpHeaders; body: unknown }> = [];
  server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      seen.push({ headers: req.headers, body: JSON.parse(raw) });
      const step = steps[Math.min(seen.length - 1, steps.length - 1)]!;
      setTimeout(() => {
        if (step.status === 302) res.writeHead(302, { location: "http://checkout.test/c/abc" }).end();
        else res.writeHead(step.status, { "content-type": "application/json" }).end('{"detail":"no"}');
      }, step.delayMs ?? 0);
    });
  });
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", () => r()));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}/checkout/ec/v2`, seen };
}

describe("Checkout client", () => {
  it("posts the cart with the subscription key and returns the Checkout URL", async () => {
    const fake = await fakeCheckout([{ status: 302 }]);
    const client = createCheckoutClient(
      { baseUrl: fake.url, subscriptionKey: "k-123", timeoutMs: 1000, retries: 0 },
      logger,
    );
    expect(await client.createCart(cart)).toEqual({ checkoutUrl: "http://checkout.test/c/abc", attempts: 1 });
    expect(fake.seen[0]!.headers["ocp-apim-subscription-key"]).toBe("k-123");
    expect(fake.seen[0]!.body).toEqual(cart);
  });

  it("retries 5xx answers and timeouts, then succeeds", async () => {
    const fake = await fakeCheckout([{ status: 503 }, { status: 302, delayMs: 500 }, { status: 302 }]);
    const client = createCheckoutClient({ baseUrl: fake.url, timeoutMs: 200, retries: 3 }, logger);
    const result = await client.createCart(cart);
    expect(result.attempts).toBe(3);
    expect(fake.seen).toHaveLength(3);
  });

  it("gives up after the configured retries with CHECKOUT_UNAVAILABLE", async () => {
    const fake = await fakeCheckout([{ status: 500 }]);
    const client = createCheckoutClient({ baseUrl: fake.url, timeoutMs: 500, retries: 2 }, logger);
    await expect(client.createCart(cart)).rejects.toMatchObject({ code: "CHECKOUT_UNAVAILABLE" });
    expect(fake.seen).toHaveLength(3);
  });

  it("does not retry a refused cart", async () => {
    const fake = await fakeCheckout([{ status: 400 }]);
    const client = createCheckoutClient({ baseUrl: fake.url, timeoutMs: 500, retries: 3 }, logger);
    await expect(client.createCart(cart)).rejects.toMatchObject({ code: "CHECKOUT_REJECTED" });
    expect(fake.seen).toHaveLength(1);
  });

  it("refuses more than five notices before calling Checkout", async () => {
    const fake = await fakeCheckout([{ status: 302 }]);
    const client = createCheckoutClient({ baseUrl: fake.url, timeoutMs: 500, retries: 0 }, logger);
    const six = { ...cart, paymentNotices: Array.from({ length: 6 }, () => cart.paymentNotices[0]!) };
    await expect(client.createCart(six)).rejects.toThrow(/al massimo 5/);
    expect(fake.seen).toHaveLength(0);
  });
});
