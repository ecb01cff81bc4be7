import { describe, expect, it, test } from "vitest";
import { endOfRomeDay, startOfRomeDay } from "./money.ts";

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

describe("startOfRomeDay", () => {
  it("is midnight in Rome, on both sides of each DST change", () => {
    expect(startOfRomeDay("2026-12-02").toISOString()).toBe("2026-12-01T23:00:00.000Z");
    expect(startOfRomeDay("2026-07-01").toISOString()).toBe("2026-06-30T22:00:00.000Z");
    expect(startOfRomeDay("2026-03-29").toISOString()).toBe("2026-03-28T23:00:00.000Z"); // 23-hour day
    expect(startOfRomeDay("2026-03-30").toISOString()).toBe("2026-03-29T22:00:00.000Z");
    expect(startOfRomeDay("2026-10-25").toISOString()).toBe("2026-10-24T22:00:00.000Z"); // 25-hour day
    expect(startOfRomeDay("2026-10-26").toISOString()).toBe("2026-10-25T23:00:00.000Z");
    expect(startOfRomeDay("2027-01-01").toISOString()).toBe("2026-12-31T23:00:00.000Z");
    expect(() => startOfRomeDay("2026-02-30")).toThrow(RangeError);
  });
});
