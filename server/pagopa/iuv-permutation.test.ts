import { describe, expect, it } from "vitest";
import { FeistelPermutation, iuvBasesOf, NEW_BASE_OFFSET, PERMUTED_DOMAIN } from "./iuv-permutation.ts";
import { buildNav, isValidNav } from "./nav.ts";

const SECRET = "unit-test-iuv-permutation-secret";
const TENANT = "0190f0e4-5b4c-7000-8000-000000000001";

describe("FeistelPermutation", () => {
  it.each([4n, 1_000n, 1_024n, 4_099n])("is a bijection on [0, %s), whatever the key", (domain) => {
    for (const key of ["a", "b"]) {
      const p = new FeistelPermutation(Buffer.from(key), domain);
      const all = Array.from({ length: Number(domain) }, (_, x) => BigInt(x));
      const images = p.permuteMany(all);
      expect(images.every((y) => y >= 0n && y < domain)).toBe(true);
      expect(new Set(images).size).toBe(Number(domain));
      // One at a time gives the same images as in a batch.
      expect(all.slice(0, 50).map((x) => p.permute(x))).toEqual(images.slice(0, 50));
    }
  });

  it("refuses values outside its domain", () => {
    const p = new FeistelPermutation(Buffer.from("k"), 1_000n);
    expect(() => p.permute(1_000n)).toThrow(RangeError);
    expect(() => p.permute(-1n)).toThrow(RangeError);
  });
});

describe("iuvBasesOf", () => {
  const counters = Array.from({ length: 1_000 }, (_, i) => BigInt(i + 1));
  const bases = iuvBasesOf(SECRET, TENANT, counters);

  it("gives 1,000 consecutive counter values unique, check-valid bases above every sequential one", () => {
    expect(new Set(bases).size).toBe(1_000);
    for (const base of bases) {
      expect(base >= NEW_BASE_OFFSET && base < NEW_BASE_OFFSET + PERMUTED_DOMAIN).toBe(true);
      expect(isValidNav(buildNav({ segregationCode: "12", iuvBase: base }).nav)).toBe(true);
    }
  });

  it("shows no order: no long monotone runs, ascents about half the time, spread over the whole range", () => {
    let ascents = 0;
    let run = 1;
    let longestRun = 1;
    for (let i = 1; i < bases.length; i++) {
      const up = bases[i]! > bases[i - 1]!;
      if (up) ascents++;
      run = i > 1 && up === bases[i - 1]! > bases[i - 2]! ? run + 1 : 1;
      longestRun = Math.max(longestRun, run);
    }
    // A sequential counter would give 999 ascents and one run of 999.
    expect(ascents).toBeGreaterThan(420);
    expect(ascents).toBeLessThan(580);
    expect(longestRun).toBeLessThan(15);
    const deciles = new Array<number>(10).fill(0);
    for (const base of bases) deciles[Number(((base - NEW_BASE_OFFSET) * 10n) / PERMUTED_DOMAIN)]!++;
    for (const n of deciles) expect(n).toBeGreaterThan(50);
    // Consecutive bases are far apart, not neighbours.
    const gaps = bases.slice(1).map((b, i) => (b > bases[i]! ? b - bases[i]! : bases[i]! - b));
    expect(gaps.filter((g) => g < 1_000_000n)).toHaveLength(0);
  });

  it("is keyed: the same counters of another tenant, or under another secret, give other bases", () => {
    expect(iuvBasesOf(SECRET, TENANT, counters)).toEqual(bases);
    const other = iuvBasesOf(SECRET, "0190f0e4-5b4c-7000-8000-000000000002", counters);
    const otherSecret = iuvBasesOf("another-secret-of-sixteen", TENANT, counters);
    expect(other.filter((b, i) => b === bases[i])).toHaveLength(0);
    expect(otherSecret.filter((b, i) => b === bases[i])).toHaveLength(0);
  });
});
