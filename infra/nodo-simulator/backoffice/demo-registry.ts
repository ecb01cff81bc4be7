import { demoPack, REGION } from "../../../tenants/demo/pack.ts";
import type { Registry } from "./registry.ts";

/**
 * What pagoPA's back-office knows of the demo councils: everything as PontePA has it, except one
 * planted difference for the alignment page to show (Valle Serena's IBAN registered at pagoPA
 * is not the one the council uses).
 */
export function demoRegistry(now = new Date()): Registry {
  const pack = demoPack(now);
  const councils = pack.tenants.filter((t) => t.status !== "ONBOARDING");
  return {
    institutions: councils.map((t) => ({
      taxCode: t.fiscalCode,
      companyName: t.name,
      brokerTaxCode: REGION.fiscalCode,
      brokerCompanyName: REGION.name,
      stationId: t.stationCode,
      stationState: "enabled",
      auxDigit: "3",
      segregationCode: t.segregationCode,
      cbillCode: t.cbill ?? undefined,
      ciStatus: true,
      intermediated: true,
      model: 1,
      version: "2",
      primitiveVersion: 2,
      broadcast: false,
      pspPayment: true,
    })),
    ibans: councils.flatMap((t) =>
      (t.accounts ?? []).map((a) => ({
        ciFiscalCode: t.fiscalCode,
        ciName: t.name,
        iban: t.ipaCode === "c_x002" && !a.isPostal ? "IT09X0306909606100000063333" : a.iban,
        status: "ENABLED" as const,
        validityDate: `${a.effectiveFrom}T00:00:00+01:00`,
        description: a.holder,
      })),
    ),
  };
}
