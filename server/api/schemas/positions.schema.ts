import { z } from "zod";
import { cents, described, isoDate, isoDateTime } from "./common.ts";

const transferIn = z.object({
  amountCents: described(cents, "Importo del versamento in centesimi", "Transfer amount in euro cents", 3000),
  taxonomyCode: described(z.string(), "Codice tassonomico pagoPA", "pagoPA taxonomy code", "9/0101002IM/"),
  remittanceText: described(
    z.string().min(1).max(140),
    "Causale del versamento",
    "Remittance text",
    "TARI 2027 rata unica",
  ),
  beneficiaryFiscalCode: described(
    z
      .string()
      .regex(/^\d{11}$/)
      .optional(),
    "Codice fiscale dell'ente beneficiario (un altro ente nel caso multibeneficiario); assente: l'ente stesso",
    "Fiscal code of the beneficiary body (another body for multi-beneficiary payments); absent: the council itself",
  ),
  iban: described(
    z.string().optional(),
    "IBAN di accredito (oppure `stamp`)",
    "Crediting IBAN (or `stamp`)",
    "IT60X0542811101000000123456",
  ),
  postalIban: described(z.boolean().default(false), "L'IBAN è di un conto postale", "The IBAN is a postal account"),
  stamp: described(
    z
      .object({
        type: z.string().regex(/^\d{2}$/),
        documentHash: z.string().min(1).max(72),
        province: z.string().regex(/^[A-Z]{2}$/),
      })
      .optional(),
    "Marca da bollo digitale (@e.bollo) al posto dell'IBAN",
    "Digital revenue stamp (@e.bollo) instead of an IBAN",
  ),
  metadata: z
    .array(z.object({ key: z.string().min(1).max(140), value: z.string().max(140) }))
    .max(10)
    .optional(),
  budgetChapter: described(
    z.string().min(1).max(64).optional(),
    "Capitolo di bilancio; assente: quello del tipo di dovuto",
    "Budget chapter (capitolo); absent: the payment type's",
    "1200",
  ),
  assessment: described(
    z.string().min(1).max(64).optional(),
    "Accertamento; assente: quello del tipo di dovuto",
    "Assessment (accertamento); absent: the payment type's",
    "2027/15",
  ),
  accountingLines: described(
    z
      .array(
        z.object({
          budgetChapter: z.string().min(1).max(64),
          office: z.string().max(64).optional(),
          assessment: z.string().max(64).optional(),
          amountCents: cents,
        }),
      )
      .max(20)
      .optional(),
    "Ripartizione del versamento su più capitoli/accertamenti (somma = importo del versamento)",
    "Split of the transfer onto several chapters/assessments (adding up to its amount)",
  ),
});

const optionIn = z.object({
  amountCents: described(
    cents,
    "Importo dell'opzione in centesimi: somma dei versamenti",
    "Option amount in cents: the sum of its transfers",
    3000,
  ),
  dueDate: described(isoDate, "Scadenza (giorno, ora di Roma)", "Due date (a day in Rome's time zone)", "2027-06-30"),
  expiresAt: described(isoDate.optional(), "Ultimo giorno in cui si può pagare", "Last day it can be paid"),
  description: z.string().max(140).optional(),
  nav: described(
    z
      .string()
      .regex(/^3\d{17}$/)
      .optional(),
    "Numero avviso assegnato dall'ente (nel suo codice di segregazione, base sotto 10^12); assente: lo assegna PontePA",
    "Notice number issued by the council (its segregation code, base below 10^12); absent: PontePA issues one",
  ),
  transfers: described(z.array(transferIn).min(1).max(5), "Da 1 a 5 versamenti", "1 to 5 transfers"),
});

const debtorIn = z.object({
  type: described(
    z.enum(["F", "G"]).default("F"),
    "F persona fisica, G persona giuridica",
    "F natural person, G legal person",
  ),
  fiscalCode: described(
    z.string().min(1).max(16),
    "Codice fiscale o partita IVA",
    "Fiscal code or VAT number",
    "RSSMRA80A01H501U",
  ),
  name: described(
    z.string().min(1).max(140),
    "Nome e cognome o ragione sociale",
    "Full name or company name",
    "Mario Rossi",
  ),
  email: z.email().optional(),
  address: z.string().max(140).optional(),
  city: z.string().max(35).optional(),
  postalCode: z.string().max(16).optional(),
  province: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .optional(),
});

export const createPositionBody = z
  .object({
    externalId: described(
      z.string().min(1).max(64).optional(),
      "Identificativo dell'ente (IUD), unico",
      "The council's own id (IUD), unique",
      "TARI-2027-000123",
    ),
    iupd: z
      .string()
      .regex(/^[\w.-]{1,35}$/)
      .optional(),
    documentId: described(
      z.string().min(1).max(64).optional(),
      "Identificativo del documento (atto, fattura)",
      "Document id (deed, invoice)",
    ),
    paymentTypeCode: described(
      z.string().max(35).optional(),
      "Codice del tipo di pagamento dell'ente",
      "Code of the council's payment type",
      "TARI",
    ),
    subject: described(z.string().min(1).max(140), "Oggetto del debito", "What the debt is for", "TARI 2027"),
    debtor: debtorIn,
    validFrom: described(isoDate.optional(), "Pagabile dal giorno", "Payable from this day"),
    publish: described(
      z.boolean().default(true),
      "Pubblicata subito (pagabile); false: bozza",
      "Published at once (payable); false: draft",
    ),
    single: described(optionIn.optional(), "Pagamento in unica soluzione", "Single payment"),
    installments: described(
      z.array(optionIn).min(2).max(60).optional(),
      "Piano rateale (da 2 a 60 rate)",
      "Installment plan (2 to 60)",
    ),
  })
  .meta({
    description: "Almeno uno fra `single` e `installments`. *EN:* At least one of `single` and `installments`.",
  });
export type CreatePositionBody = z.output<typeof createPositionBody>;

export const createPositionsBatchBody = z.object({
  positions: described(
    z.array(createPositionBody).min(1).max(100),
    "Da 1 a 100 posizioni, create tutte o nessuna",
    "1 to 100 positions, all created or none",
  ),
});

export const createdPositionsOut = z.object({
  items: z.array(
    z.object({
      id: z.uuid(),
      iupd: z.string(),
      externalId: z.string().nullable(),
      options: z.array(
        z.object({
          nav: z.string(),
          iuv: z.string(),
          amountCents: z.number().int(),
          installmentNumber: z.number().int().nullable(),
        }),
      ),
    }),
  ),
});

export const updatePositionBody = z.object({
  subject: z.string().min(1).max(140).optional(),
  debtor: debtorIn.optional(),
  options: z
    .array(
      z.object({
        nav: described(z.string().regex(/^\d{18}$/), "L'avviso da modificare", "The notice to change"),
        amountCents: cents.optional(),
        dueDate: isoDate.optional(),
        expiresAt: isoDate.nullable().optional(),
        description: z.string().max(140).nullable().optional(),
        transfers: z.array(transferIn).min(1).max(5).optional(),
      }),
    )
    .max(61)
    .optional(),
});

export const reasonBody = z.object({
  reason: described(z.string().min(3).max(500), "Motivo", "Reason", "Annullata su richiesta dell'ufficio tributi"),
});

export const markPaidBody = z.object({
  reason: described(
    z.string().min(3).max(500),
    "Motivo (es. pagato in contanti allo sportello)",
    "Reason (e.g. paid cash at the counter)",
    "Pagato allo sportello, quietanza 42",
  ),
  nav: described(
    z
      .string()
      .regex(/^\d{18}$/)
      .optional(),
    "Una sola rata; assente: l'unica soluzione o tutte le rate aperte",
    "One installment; absent: the single payment or every open installment",
  ),
  paidAt: isoDateTime.optional(),
});

export const positionListQuery = z.object({
  status: z.enum(["DRAFT", "VALID", "PARTIALLY_PAID", "PAID", "EXPIRED", "CANCELLED", "REPORTED"]).optional(),
  paymentTypeCode: z.string().max(35).optional(),
  debtorFiscalCode: z.string().max(16).optional(),
  dueFrom: isoDate.optional(),
  dueTo: isoDate.optional(),
  createdFrom: isoDateTime.optional(),
  createdTo: isoDateTime.optional(),
  cursor: described(z.uuid().optional(), "`nextCursor` della pagina precedente", "`nextCursor` of the previous page"),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

// ---- answers

const transferOut = z.object({
  index: z.number().int(),
  beneficiaryFiscalCode: z.string(),
  iban: z.string().nullable(),
  postalIban: z.boolean(),
  stamp: z.object({ type: z.string(), documentHash: z.string(), province: z.string() }).nullable(),
  amountCents: z.number().int(),
  paidCents: z.number().int().nullable(),
  taxonomyCode: z.string(),
  remittanceText: z.string(),
  budgetChapter: z.string().nullable(),
  assessment: z.string().nullable(),
});

export const receiptSummary = z.object({
  receiptId: z.string(),
  nav: z.string(),
  iuv: z.string(),
  outcome: z.string(),
  amountCents: z.number().int(),
  feeCents: z.number().int().nullable(),
  pspId: z.string(),
  pspName: z.string().nullable(),
  paymentDateTime: isoDateTime.nullable(),
  receivedAt: isoDateTime,
});

const optionOut = z.object({
  nav: z.string(),
  iuv: z.string(),
  kind: z.enum(["SINGLE", "INSTALLMENT"]),
  installmentNumber: z.number().int().nullable(),
  installmentCount: z.number().int().nullable(),
  amountCents: z.number().int(),
  description: z.string().nullable(),
  dueDate: isoDate,
  expiresAt: isoDateTime.nullable(),
  status: z.enum(["UNPAID", "PAID", "EXPIRED", "CANCELLED", "REPORTED"]),
  paidAt: isoDateTime.nullable(),
  activationLockedUntil: described(
    isoDateTime.nullable(),
    "Un prestatore sta pagando l'avviso fino a quest'ora",
    "A PSP is paying this notice until then",
  ),
  transfers: z.array(transferOut),
  receipts: z.array(receiptSummary),
});

export const positionOut = z
  .object({
    id: z.uuid(),
    iupd: z.string(),
    externalId: z.string().nullable(),
    documentId: z.string().nullable(),
    paymentTypeCode: z.string().nullable(),
    status: z.enum(["DRAFT", "VALID", "PARTIALLY_PAID", "PAID", "EXPIRED", "CANCELLED", "REPORTED"]),
    origin: z.string(),
    subject: z.string(),
    debtor: z.object({
      type: z.enum(["F", "G"]),
      fiscalCode: z.string(),
      name: z.string(),
      email: z.string().nullable(),
      address: z.string().nullable(),
      city: z.string().nullable(),
      postalCode: z.string().nullable(),
      province: z.string().nullable(),
    }),
    validFrom: isoDateTime.nullable(),
    dueDate: isoDateTime.nullable(),
    publishedAt: isoDateTime.nullable(),
    paidAt: isoDateTime.nullable(),
    cancelledAt: isoDateTime.nullable(),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
    options: z.array(optionOut),
  })
  .meta({ description: "Posizione debitoria. *EN:* Debt position." });

export const positionPage = z.object({
  items: z.array(positionOut),
  nextCursor: described(
    z.uuid().nullable(),
    "Da passare come `cursor` per la pagina successiva; null: ultima pagina",
    "Pass as `cursor` for the next page; null: last page",
  ),
});

export const paymentStatusOut = z.object({
  positionId: z.uuid(),
  status: positionOut.shape.status,
  paidCents: z.number().int(),
  options: z.array(
    optionOut.pick({
      nav: true,
      kind: true,
      installmentNumber: true,
      amountCents: true,
      status: true,
      paidAt: true,
      activationLockedUntil: true,
    }),
  ),
  receipts: z.array(receiptSummary),
});
