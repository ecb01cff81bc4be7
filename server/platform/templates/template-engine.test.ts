import { describe, expect, it } from "vitest";
import { TemplateEngine } from "./index.ts";

describe("TemplateEngine", () => {
  const engine = new TemplateEngine();

  it("formats cents, dates in Europe/Rome and NAVs the Italian way", () => {
    const t = engine.compile<{ a: number; d: Date; n: string }>(
      "{{cents a}} € entro il {{date d}} alle {{dateTime d}} - {{nav n}}",
    );
    // 23:30 UTC on 31 December is already 1 January in Rome.
    const out = t({ a: 102099, d: new Date("2025-12-31T23:30:00Z"), n: "302000000000000184" });
    expect(out).toBe("1.020,99 € entro il 01/01/2026 alle 01/01/2026 00:30 - 3020 0000 0000 0001 84");
  });

  it("groups thousands and keeps two decimals", () => {
    const t = engine.compile<{ a: number }>("{{cents a}}");
    expect(t({ a: 5 })).toBe("0,05");
    expect(t({ a: 99_999_999_999 })).toBe("999.999.999,99");
  });

  it("fails on a field missing from the view model instead of printing a blank", () => {
    const t = engine.compile<Record<string, unknown>>("Importo {{cents amount}}");
    expect(() => t({})).toThrow();
    expect(() => engine.compile<Record<string, unknown>>("{{subject}}")({})).toThrow(/subject/);
  });

  it("escapes HTML in values", () => {
    const t = engine.compile<{ s: string }>("{{s}}");
    expect(t({ s: "<b>Tari & co</b>" })).toBe("&lt;b&gt;Tari &amp; co&lt;/b&gt;");
  });

  it("keeps helpers of separate engines apart", () => {
    const a = new TemplateEngine({ mark: () => "A" });
    const b = new TemplateEngine();
    expect(a.compile<object>("{{mark}}")({})).toBe("A");
    expect(() => b.compile<object>("{{mark}}")({})).toThrow();
  });
});
