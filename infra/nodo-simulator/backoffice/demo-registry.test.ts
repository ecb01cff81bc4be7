import { describe, expect, it } from "vitest";
import { demoPack } from "../../../tenants/demo/pack.ts";
import { demoRegistry } from "./demo-registry.ts";
import { registrySchema } from "./registry.ts";

describe("the demo's pagoPA registry", () => {
  it("knows every demo council as PontePA does, but one IBAN: the planted difference of the alignment page", () => {
    const registry = registrySchema.parse(demoRegistry());
    const pack = demoPack();
    expect(registry.institutions.map((i) => i.taxCode).sort()).toEqual(pack.tenants.map((t) => t.fiscalCode).sort());
    const ours = new Set(pack.tenants.flatMap((t) => (t.accounts ?? []).map((a) => `${t.fiscalCode} ${a.iban}`)));
    const differing = registry.ibans.filter((i) => !ours.has(`${i.ciFiscalCode} ${i.iban}`));
    expect(differing.map((i) => i.ciName)).toEqual(["Comune di Valle Serena"]);
  });
});
