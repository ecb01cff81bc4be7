import { createHash } from "node:crypto";
import { z } from "zod";
import type { DebtPosition, PaymentOption, Transfer } from "../../generated/prisma/client.ts";
import type { AcaPosition } from "./aca.schema.ts";

export type PositionForAca = DebtPosition & { options: Array<PaymentOption & { transfers: Transfer[] }> };

const metadataSchema = z.array(z.object({ key: z.string(), value: z.string() })).catch([]);

/** An option pagoPA may collect in Stand-In: unpaid and, if it expires, not yet expired. */
const payable = (o: PaymentOption, now: Date) => o.status === "UNPAID" && (!o.expiresAt || o.expiresAt > now);

/**
 * The debt position as pagoPA's ACA archive should hold it (gpd-4-aca.json's
 * PaymentPositionModel), or null when nothing of it is payable any more (the archive's copy is
 * then invalidated). Only payable options go: a paid installment must not be collected twice in
 * Stand-In. Amounts are cents, as the document's integer amounts are.
 */
export function acaPositionOf(position: PositionForAca, council: { name: string }, now: Date): AcaPosition | null {
  if (position.status !== "VALID" && position.status !== "PARTIALLY_PAID") return null;
  const options = position.options.filter((o) => payable(o, now));
  if (!options.length) return null;
  return {
    iupd: position.iupd,
    type: position.debtorType,
    payStandIn: true,
    fiscalCode: position.debtorFiscalCode,
    fullName: position.debtorName,
    switchToExpired: options.some((o) => o.expiresAt !== null),
    companyName: council.name.slice(0, 140),
    paymentOption: options
      .sort((a, b) => a.nav.localeCompare(b.nav))
      .map((o) => ({
        nav: o.nav,
        iuv: o.iuv,
        amount: o.amountCents,
        description: (o.description ?? position.subject).slice(0, 140),
        isPartialPayment: o.kind === "INSTALLMENT",
        dueDate: o.dueDate.toISOString(),
        paymentOptionMetadata: [],
        transfer: [...o.transfers]
          .sort((a, b) => a.index - b.index)
          .map((t) => ({
            idTransfer: String(t.index) as "1",
            amount: t.amountCents,
            organizationFiscalCode: t.beneficiaryFiscalCode,
            remittanceInformation: t.remittanceText,
            category: t.taxonomyCode,
            ...(t.iban ? (t.isPostalIban ? { postalIban: t.iban } : { iban: t.iban }) : {}),
            ...(t.stampType
              ? {
                  stamp: {
                    hashDocument: t.stampDocumentHash ?? "",
                    stampType: t.stampType,
                    provincialResidence: t.stampProvince ?? "",
                  },
                }
              : {}),
            transferMetadata: metadataSchema.parse(t.metadata).slice(0, 10),
          })),
      })),
  };
}

/** The fingerprint of what was sent: an unchanged position is not sent again. */
export const acaHash = (position: AcaPosition) => createHash("sha256").update(JSON.stringify(position)).digest("hex");
