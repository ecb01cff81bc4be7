import { describe, expect, it } from "vitest";
import { MAX_RETRY_DELAY_MS, nextAttemptAt, retryDelayMs } from "./backoff.ts";

describe("webhook retry back-off", () => {
  it("grows exponentially from 5 s and caps at 6 h", () => {
    const half = () => 0.5;
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, half))).toEqual([5_000, 15_000, 45_000, 135_000]);
    expect(retryDelayMs(30, half)).toBe(MAX_RETRY_DELAY_MS);
  });

  it("keeps retrying for three days, then gives up", () => {
    const created = new Date("2027-01-01T00:00:00Z");
    const maxAge = 72 * 3_600_000;
    let now = created;
    let attempts = 0;
    for (;;) {
      attempts++;
      const next = nextAttemptAt(created, attempts, now, maxAge, () => 0.5);
      if (!next) break;
      now = next;
    }
    expect(now.getTime() - created.getTime()).toBeGreaterThan(66 * 3_600_000);
    expect(now.getTime() - created.getTime()).toBeLessThanOrEqual(maxAge);
    expect(attempts).toBeGreaterThan(10);
  });
});
