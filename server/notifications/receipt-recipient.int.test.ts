import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import type { Deps } from "../platform/deps.ts";
import { testDeps } from "../test/support.ts";
import { CHECKOUT_RECIPIENT_WINDOW_MS, rememberCheckoutRecipient, takeReceiptRecipient } from "./receipt-recipient.ts";

describe("the receipt e-mail typed on the portal is bound to its checkout (issue 13 item 2)", () => {
  let deps: Deps;
  const tenantId = randomUUID();
  let n = 0;
  const nav = () => `30200000000000${String(++n).padStart(4, "0")}`;
  const t0 = new Date("2026-05-04T08:00:00Z");
  const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
  const remember = (notice: string, email: string, startedAt: Date, checkoutId = `co-${email}`) =>
    rememberCheckoutRecipient(deps.redis, deps.config.QUEUE_PREFIX, {
      checkoutId,
      email,
      notices: [{ tenantId, nav: notice }],
      startedAt,
    });
  const take = (notice: string, receiptId: string, paidAt: Date) =>
    takeReceiptRecipient(deps.redis, deps.config.QUEUE_PREFIX, { tenantId, nav: notice, receiptId, paidAt });

  beforeAll(() => {
    deps = testDeps();
  });
  afterAll(() => deps.close());

  it("gives the address to the receipt of a payment made during that checkout, and to no later receipt", async () => {
    const notice = nav();
    await remember(notice, "giulia@example.org", at(0));
    await expect(take(notice, "r-1", at(4))).resolves.toBe("giulia@example.org");
    // A retried job mails the same address...
    await expect(take(notice, "r-1", at(4))).resolves.toBe("giulia@example.org");
    // ...but a later payment of the same notice (e.g. after a refund, at a PSP) never gets it.
    await expect(take(notice, "r-2", at(30))).resolves.toBeNull();
  });

  it("ignores an address given long before the payment (someone else's abandoned checkout)", async () => {
    const notice = nav();
    await remember(notice, "attacker@example.org", at(0));
    await expect(
      take(notice, "r-3", new Date(at(0).getTime() + CHECKOUT_RECIPIENT_WINDOW_MS + 60_000)),
    ).resolves.toBeNull();
  });

  it("gives nobody the receipt when two checkouts of one notice named different addresses", async () => {
    const notice = nav();
    await remember(notice, "attacker@example.org", at(0), "co-a");
    await remember(notice, "debtor@example.org", at(1), "co-b");
    await expect(take(notice, "r-4", at(3))).resolves.toBeNull();
  });

  it("does not mix notices: an address given for one NAV is not used for another", async () => {
    const mine = nav();
    const other = nav();
    await remember(mine, "giulia@example.org", at(0));
    await expect(take(other, "r-5", at(2))).resolves.toBeNull();
    await expect(take(mine, "r-6", at(2))).resolves.toBe("giulia@example.org");
  });
});
