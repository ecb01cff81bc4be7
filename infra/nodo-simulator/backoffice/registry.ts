import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

/** A creditor institution as pagoPA's back-office lists it for its broker (BrokerInstitutionResource). */
export const brokerInstitutionSchema = z.object({
  taxCode: z.string(),
  companyName: z.string(),
  brokerTaxCode: z.string(),
  brokerCompanyName: z.string(),
  stationId: z.string().optional(),
  stationState: z.enum(["enabled", "disabled"]).default("enabled"),
  auxDigit: z.string().default("3"),
  segregationCode: z.string().optional(),
  applicationCode: z.string().optional(),
  cbillCode: z.string().optional(),
  ciStatus: z.boolean().default(true),
  intermediated: z.boolean().default(true),
  model: z.number().int().default(1),
  version: z.string().default("2"),
  primitiveVersion: z.number().int().default(2),
  broadcast: z.boolean().default(false),
  pspPayment: z.boolean().default(true),
  activationDate: z.string().optional(),
});

/** An IBAN pagoPA knows for a creditor institution (CIIbansResource). */
export const ciIbanSchema = z.object({
  ciFiscalCode: z.string(),
  ciName: z.string(),
  iban: z.string(),
  status: z.enum(["ENABLED", "DISABLED"]).default("ENABLED"),
  validityDate: z.string(),
  description: z.string().optional(),
  label: z.string().optional(),
});

export const registrySchema = z.object({
  institutions: z.array(brokerInstitutionSchema).max(10_000),
  ibans: z.array(ciIbanSchema).max(50_000),
});
export type Registry = z.infer<typeof registrySchema>;

/**
 * What pagoPA's back-office knows about the broker's councils: set by the demo and by tests
 * through `PUT /admin/registry` (the Region keeps it in pagoPA's selfcare in real life), kept in
 * the simulator's data folder so it survives a restart.
 */
export class RegistryStore {
  private data: Registry = { institutions: [], ibans: [] };
  private readonly file: string;

  constructor(dir: string) {
    this.file = path.join(dir, "registry.json");
    if (existsSync(this.file)) this.data = registrySchema.parse(JSON.parse(readFileSync(this.file, "utf8")));
  }

  get current(): Registry {
    return this.data;
  }

  replace(next: Registry): void {
    this.data = next;
    writeFileSync(this.file, JSON.stringify(next, null, 1));
  }
}
