import { z } from "zod";
import type { ReceiptRecord } from "../../receipts/index.ts";
import { described, iso, isoDate, isoDateTime } from "./common.ts";

const json = z.record(z.string(), z.unknown());

export const receiptOut = z
  .object({
    receiptId: described(
      z.string(),
      "Identificativo della ricevuta (receiptId del Nodo)",
      "Receipt id (the Nodo's receiptId)",
    ),
    positionId: z.uuid().nullable(),
    externalId: z.string().nullable(),
    iupd: z.string().nullable(),
    nav: z.string(),
    iuv: z.string(),
    outcome: z.string(),
    amountCents: z.number().int(),
    feeCents: z.number().int().nullable(),
    psp: z.object({ id: z.string(), name: z.string().nullable(), fiscalCode: z.string().nullable() }),
    channelId: z.string().nullable(),
    paymentMethod: z.string().nullable(),
    paymentDateTime: isoDateTime.nullable(),
    applicationDate: isoDate.nullable(),
    transferDate: isoDate.nullable(),
    standIn: z.boolean(),
    payer: json.nullable(),
    debtor: json.nullable(),
    transfers: z.array(json),
    receivedAt: isoDateTime,
  })
  .meta({ description: "Ricevuta telematica di pagamento. *EN:* pagoPA payment receipt." });

export const receiptFeedQuery = z.object({
  cursor: described(
    z.string().max(200).optional(),
    "`nextCursor` della chiamata precedente; assente: dall'inizio",
    "`nextCursor` of the previous call; absent: from the start",
  ),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const receiptFeedOut = z.object({
  items: z.array(receiptOut),
  nextCursor: described(
    z.string().nullable(),
    "Da conservare e passare alla chiamata successiva (uguale a prima se non è arrivato nulla)",
    "Keep it and pass it to the next call (unchanged when nothing arrived)",
  ),
});

export function receiptView(r: ReceiptRecord): z.input<typeof receiptOut> {
  return {
    receiptId: r.receiptId,
    positionId: r.option?.positionId ?? null,
    externalId: r.option?.position.externalId ?? null,
    iupd: r.option?.position.iupd ?? null,
    nav: r.nav,
    iuv: r.iuv,
    outcome: r.outcome,
    amountCents: r.amountCents,
    feeCents: r.feeCents,
    psp: { id: r.pspId, name: r.pspName, fiscalCode: r.pspFiscalCode },
    channelId: r.channelId,
    paymentMethod: r.paymentMethod,
    paymentDateTime: iso(r.paymentDateTime),
    applicationDate: r.applicationDate ? r.applicationDate.toISOString().slice(0, 10) : null,
    transferDate: r.transferDate ? r.transferDate.toISOString().slice(0, 10) : null,
    standIn: r.standIn,
    payer: (r.payer as Record<string, unknown> | null) ?? null,
    debtor: (r.debtor as Record<string, unknown> | null) ?? null,
    transfers: Array.isArray(r.transfers) ? (r.transfers as Array<Record<string, unknown>>) : [],
    receivedAt: r.receivedAt.toISOString(),
  };
}

export const paymentTypeOut = z.object({
  code: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  taxonomyCode: z.string(),
  status: z.enum(["DRAFT", "PUBLISHED"]),
  active: z.boolean(),
  availableOnPortal: z.boolean(),
  availableAtCounter: z.boolean(),
  availableAtPsp: z.boolean(),
  validFrom: isoDateTime.nullable(),
  validTo: isoDateTime.nullable(),
  amountRule: described(
    json.nullable(),
    "Regola dell'importo (fisso, scelta, intervallo, plug-in)",
    "Amount rule (fixed, choice, range, plug-in)",
  ),
});
