import { describe, expect, it } from "vitest";
import { uuid7 } from "./uuid7.ts";

describe("uuid7", () => {
  it("makes version 7, variant 1 UUIDs carrying the millisecond", () => {
    const at = Date.UTC(2026, 10, 22, 12, 0, 0, 123);
    const id = uuid7(at + 10_000);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, "").slice(0, 12), 16)).toBe(at + 10_000);
  });

  it("sorts in creation order, also within one millisecond", () => {
    const ids = Array.from({ length: 5_000 }, () => uuid7());
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
