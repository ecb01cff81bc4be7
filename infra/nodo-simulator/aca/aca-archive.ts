import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { TransferData } from "../station-client.ts";

// What the simulator checks of a PaymentPositionModel (gpd-4-aca.json): the required fields and
// their shapes, so a client sending the wrong body gets the 400 pagoPA would give.
const transfer = z.object({
  idTransfer: z.enum(["1", "2", "3", "4", "5"]),
  amount: z.number().int().min(1),
  organizationFiscalCode: z.string().optional(),
  remittanceInformation: z.string().max(140),
  category: z.string(),
  iban: z.string().optional(),
  postalIban: z.string().optional(),
  stamp: z.object({ hashDocument: z.string(), stampType: z.string(), provincialResidence: z.string() }).optional(),
  // Required by the document, yet pagoPA's own example bodies leave them out or null.
  transferMetadata: z.array(z.object({ key: z.string(), value: z.string() })).nullish(),
});
const option = z.object({
  // Optional: pagoPA's example bodies send only the IUV (the NAV is then 3 + IUV).
  nav: z
    .string()
    .regex(/^\d{18}$/)
    .optional(),
  iuv: z.string(),
  amount: z.number().int().min(1),
  description: z.string().max(140),
  isPartialPayment: z.boolean(),
  dueDate: z.string(),
  transfer: z.array(transfer).min(1).max(5),
  paymentOptionMetadata: z.array(z.object({ key: z.string(), value: z.string() })).nullish(),
});
export const acaPositionBody = z.object({
  iupd: z.string().min(1),
  type: z.enum(["F", "G"]),
  payStandIn: z.boolean().optional(),
  fiscalCode: z.string(),
  fullName: z.string(),
  switchToExpired: z.boolean(),
  companyName: z.string().max(140),
  paymentOption: z.array(option).min(1),
});
export type AcaPositionBody = z.infer<typeof acaPositionBody>;

export interface AcaRecord {
  organizationFiscalCode: string;
  status: "VALID" | "INVALID";
  position: AcaPositionBody;
  updatedAt: string;
}

/**
 * pagoPA's ACA archive as the simulator plays it: the debt positions councils sent, by
 * organisation and IUPD, kept in aca.json under the data folder. In Stand-In the simulator's
 * Nodo answers verify and payment from here instead of calling the station.
 */
export class AcaArchive {
  private readonly file: string;
  records: AcaRecord[];

  constructor(dir: string) {
    this.file = path.join(dir, "aca.json");
    this.records = existsSync(this.file) ? (JSON.parse(readFileSync(this.file, "utf8")) as AcaRecord[]) : [];
  }

  get(fc: string, iupd: string): AcaRecord | undefined {
    return this.records.find((r) => r.organizationFiscalCode === fc && r.position.iupd === iupd);
  }

  put(fc: string, position: AcaPositionBody, status: AcaRecord["status"]): AcaRecord {
    const record = { organizationFiscalCode: fc, status, position, updatedAt: new Date().toISOString() };
    const i = this.records.findIndex((r) => r.organizationFiscalCode === fc && r.position.iupd === position.iupd);
    if (i >= 0) this.records[i] = record;
    else this.records.push(record);
    this.save();
    return record;
  }

  save(): void {
    writeFileSync(this.file, JSON.stringify(this.records, null, 1));
  }

  /** The notice as the Nodo would serve it in Stand-In: a VALID position's option with this NAV. */
  findNotice(fc: string, nav: string): { record: AcaRecord; option: AcaPositionBody["paymentOption"][number] } | null {
    for (const record of this.records) {
      if (record.organizationFiscalCode !== fc) continue;
      const found = record.position.paymentOption.find((o) => (o.nav ?? `3${o.iuv}`) === nav);
      if (found) return { record, option: found };
    }
    return null;
  }
}

/** A Stand-In notice in the shape of the station's paGetPaymentV2 data (what the receipt is built from). */
export function standInData(record: AcaRecord, o: AcaPositionBody["paymentOption"][number]): Record<string, unknown> {
  const p = record.position;
  const euros = (cents: number) => (cents / 100).toFixed(2);
  const transfers: TransferData[] = o.transfer.map((t) => ({
    idTransfer: t.idTransfer,
    transferAmount: euros(t.amount),
    fiscalCodePA: t.organizationFiscalCode ?? record.organizationFiscalCode,
    ...(t.iban || t.postalIban ? { IBAN: t.iban ?? t.postalIban } : {}),
    ...(t.stamp ? { richiestaMarcaDaBollo: { hashDocumento: t.stamp.hashDocument } } : {}),
    remittanceInformation: t.remittanceInformation,
    transferCategory: t.category,
  }));
  return {
    creditorReferenceId: o.iuv,
    paymentAmount: euros(o.amount),
    description: o.description,
    companyName: p.companyName,
    debtor: {
      uniqueIdentifier: { entityUniqueIdentifierType: p.type, entityUniqueIdentifierValue: p.fiscalCode },
      fullName: p.fullName,
    },
    transferList: { transfer: transfers },
  };
}
