import { describe, expect, it } from "vitest";
import { el, escapeXml, formatAmount, formatRomeDate, leaf, optLeaf, truncate } from "./xml.ts";

describe("xml writer", () => {
  it("escapes markup and drops characters XML cannot carry", () => {
    expect(escapeXml(`<a href="x">Tom & Jerry's</a>\u0001\u0008`)).toBe(
      "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;",
    );
    expect(leaf("name", "a<b")).toBe("<name>a&lt;b</name>");
  });

  it("skips absent children and empty optional leaves", () => {
    expect(el("a", leaf("b", 1), null, undefined, false, optLeaf("c", null), optLeaf("d", "  "))).toBe(
      "<a><b>1</b></a>",
    );
    expect(optLeaf("d", "x".repeat(200), 140)).toBe(`<d>${"x".repeat(140)}</d>`);
  });

  it("truncates by characters, not UTF-16 units", () => {
    expect(truncate("😀😀😀", 2)).toBe("😀😀");
    expect(truncate("  àèì  ", 10)).toBe("àèì");
  });

  it("formats cents as the XSD amount", () => {
    expect(formatAmount(0)).toBe("0.00");
    expect(formatAmount(5)).toBe("0.05");
    expect(formatAmount(123_456)).toBe("1234.56");
    expect(formatAmount(99_999_999_999)).toBe("999999999.99");
    expect(() => formatAmount(1.5)).toThrow();
  });

  it("gives dates as the Rome calendar day", () => {
    // 23:30 UTC on 31 December is already 1 January in Rome.
    expect(formatRomeDate(new Date("2026-12-31T23:30:00Z"))).toBe("2027-01-01");
    expect(formatRomeDate(new Date("2026-07-15T10:00:00Z"))).toBe("2026-07-15");
  });
});
