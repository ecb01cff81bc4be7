import { z } from "zod";

// The parts of gpd-4-aca.json's PaymentPositionModel PontePA sends, with the document's limits:
// a body the archive would refuse is refused here, before the call.
const text140 = z.string().max(140);
const metadata = z.array(z.object({ key: text140, value: text140 })).max(10);

export const acaTransferSchema = z
  .object({
    idTransfer: z.enum(["1", "2", "3", "4", "5"]),
    amount: z.number().int().min(1),
    organizationFiscalCode: z.string().regex(/^\d{11}$/),
    remittanceInformation: text140,
    category: z.string().min(1),
    iban: z
      .string()
      .regex(/^[A-Za-z0-9]{1,35}$/)
      .optional(),
    postalIban: z
      .string()
      .regex(/^[A-Za-z0-9]{1,35}$/)
      .optional(),
    stamp: z
      .object({
        hashDocument: z.string().max(72),
        stampType: z.string().length(2),
        provincialResidence: z.string().regex(/^[A-Z]{2}$/),
      })
      .optional(),
    transferMetadata: metadata,
  })
  .refine((t) => Boolean(t.stamp) !== Boolean(t.iban || t.postalIban), {
    message: "a transfer carries an IBAN or a stamp, not both",
  });

export const acaOptionSchema = z.object({
  nav: z.string().regex(/^\d{18}$/),
  iuv: z.string().min(1).max(35),
  amount: z.number().int().min(1),
  description: text140,
  isPartialPayment: z.boolean(),
  dueDate: z.iso.datetime(),
  transfer: z.array(acaTransferSchema).min(1).max(5),
  paymentOptionMetadata: metadata,
});

export const acaPositionSchema = z.object({
  iupd: z.string().min(1).max(35),
  type: z.enum(["F", "G"]),
  payStandIn: z.boolean(),
  fiscalCode: z.string().min(1).max(16),
  fullName: z.string().min(1),
  switchToExpired: z.boolean(),
  companyName: text140,
  officeName: text140.optional(),
  validityDate: z.iso.datetime().optional(),
  paymentOption: z.array(acaOptionSchema).min(1),
});

export type AcaPosition = z.infer<typeof acaPositionSchema>;

/** What the archive answers to create, update and invalidate: the position, with its status. */
export const acaPositionAnswerSchema = z.looseObject({
  iupd: z.string(),
  status: z
    .enum(["DRAFT", "PUBLISHED", "VALID", "INVALID", "EXPIRED", "PARTIALLY_PAID", "PAID", "REPORTED"])
    .optional(),
});
