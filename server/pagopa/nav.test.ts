import { describe, expect, it } from "vitest";
import {
  buildNav,
  formatNavForPrint,
  isValidNav,
  isValidSegregationCode,
  iuvFromNav,
  MAX_IUV_BASE,
  navCheckDigits,
  navFromIuv,
  parseNav,
} from "./nav.ts";

// An independent statement of the rule: check = (aux ‖ seg ‖ base) mod 93, by long division on
// the decimal string, so the test does not share BigInt arithmetic with the code under test.
function referenceCheck(digits: string): string {
  let rest = 0;
  for (const d of digits) rest = (rest * 10 + Number(d)) % 93;
  return String(rest).padStart(2, "0");
}

function randomBase(): string {
  return Array.from({ length: 13 }, () => Math.floor(Math.random() * 10)).join("");
}

describe("NAV and IUV for aux digit 3", () => {
  it("matches the worked example 302000000000000184", () => {
    expect(buildNav({ segregationCode: "02", iuvBase: 1n })).toEqual({
      nav: "302000000000000184",
      iuv: "02000000000000184",
    });
    expect(navCheckDigits(3, "02", "0000000000001")).toBe("84");
    expect(parseNav("302000000000000184")).toEqual({
      auxDigit: 3,
      segregationCode: "02",
      iuvBase: "0000000000001",
      checkDigits: "84",
      iuv: "02000000000000184",
    });
  });

  it("agrees with an independent mod-93 computation on 10,000 random bases", () => {
    for (let i = 0; i < 10_000; i++) {
      const base = randomBase();
      const seg = String(i % 47).padStart(2, "0");
      const { nav, iuv } = buildNav({ segregationCode: seg, iuvBase: base });
      expect(nav).toBe(`3${seg}${base}${referenceCheck(`3${seg}${base}`)}`);
      expect(iuv).toBe(nav.slice(1));
      expect(isValidNav(nav)).toBe(true);
    }
  });

  it("handles the boundary bases", () => {
    expect(buildNav({ segregationCode: "00", iuvBase: 0 }).nav).toBe(
      `3000000000000000${referenceCheck("3000000000000000")}`,
    );
    const max = buildNav({ segregationCode: "49", iuvBase: MAX_IUV_BASE }).nav;
    expect(max.slice(0, 16)).toBe("3499999999999999");
    expect(() => buildNav({ segregationCode: "01", iuvBase: MAX_IUV_BASE + 1n })).toThrow(/out of range/);
    expect(() => buildNav({ segregationCode: "01", iuvBase: -1 })).toThrow();
  });

  it("rejects every single-digit change of a valid NAV", () => {
    const nav = "302000000000000184";
    for (let pos = 0; pos < 18; pos++) {
      for (let d = 0; d <= 9; d++) {
        const mutated = nav.slice(0, pos) + d + nav.slice(pos + 1);
        if (mutated !== nav) expect(isValidNav(mutated), mutated).toBe(false);
      }
    }
  });

  it("rejects malformed NAVs with a stable code", () => {
    for (const bad of ["", "30200000000000018", "3020000000000001845", "202000000000000184", "30200000000000018a"]) {
      expect(isValidNav(bad)).toBe(false);
    }
    expect(() => parseNav("302000000000000185")).toThrow(expect.objectContaining({ code: "INVALID_NAV" }));
  });

  it("converts between IUV and NAV and prints in groups of four", () => {
    expect(iuvFromNav("302000000000000184")).toBe("02000000000000184");
    expect(navFromIuv("02000000000000184")).toBe("302000000000000184");
    expect(() => navFromIuv("02000000000000185")).toThrow();
    expect(formatNavForPrint("302000000000000184")).toBe("3020 0000 0000 0001 84");
  });

  it("knows which segregation codes may be assigned", () => {
    expect(["00", "01", "46", "48", "49"].every(isValidSegregationCode)).toBe(true);
    expect(["47", "50", "81", "85", "96", "97", "98", "99", "1", "abc"].some(isValidSegregationCode)).toBe(false);
    expect(() => buildNav({ segregationCode: "47", iuvBase: 1 })).toThrow(/not assignable/);
  });
});
