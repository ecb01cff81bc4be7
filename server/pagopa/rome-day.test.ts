import { describe, expect, test } from "vitest";
import { endOfRomeDay } from "./money.ts";

describe("endOfRomeDay", () => {
  test("winter: 23:59:59.999 in Rome is 22:59:59.999 UTC", () => {
    expect(endOfRomeDay("2026-12-31").toISOString()).toBe("2026-12-31T22:59:59.999Z");
  });
  test("summer: 23:59:59.999 in Rome is 21:59:59.999 UTC", () => {
    expect(endOfRomeDay("2027-07-15").toISOString()).toBe("2027-07-15T21:59:59.999Z");
  });
  test("not a date is refused", () => {
    expect(() => endOfRomeDay("2027-02-30")).toThrow(RangeError);
    expect(() => endOfRomeDay("31/12/2026")).toThrow(RangeError);
  });
});
