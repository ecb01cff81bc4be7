import { z } from "zod";
import { described, isoDateTime } from "./common.ts";
import { createPositionBody } from "./positions.schema.ts";

const nav = z.string().regex(/^\d{18}$/);
const installment = described(
  z.number().int().min(1).max(100).optional(),
  "Numero della rata da pagare; assente: l'unica soluzione",
  "Number of the installment to pay; absent: the single payment",
  1,
);

const paymentItem = z.union([
  z.object({ nav: described(nav, "Numero avviso esistente", "An existing notice number") }).strict(),
  z
    .object({
      externalId: described(z.string().min(1).max(64), "Identificativo dell'ente (IUD)", "The council's id (IUD)"),
      installment,
    })
    .strict(),
  z
    .object({
      position: described(
        createPositionBody.extend({ externalId: z.string().min(1).max(64) }),
        "Posizione da creare (con externalId: se esiste già è riusata, così una chiamata ripetuta non la duplica)",
        "Position to create (with externalId: an existing one is reused, so a repeated call does not duplicate it)",
      ),
      installment,
    })
    .strict(),
]);

export const startPaymentBody = z.object({
  items: described(
    z.array(paymentItem).min(1).max(5),
    "Da 1 a 5 avvisi: esistenti (numero avviso o externalId e rata) o da creare",
    "1 to 5 notices: existing ones (notice number, or externalId and installment) or positions to create",
  ),
  returnUrls: described(
    z.object({ ok: z.string().max(2000), cancel: z.string().max(2000), error: z.string().max(2000) }),
    "Dove tornare per esito positivo, annullamento ed errore: devono iniziare con un prefisso registrato per il client",
    "Where to return on success, cancellation and error: each must begin with a prefix registered for the client",
  ),
  payerEmail: described(
    z.email().optional(),
    "Indirizzo per la ricevuta di questo pagamento",
    "Address for the receipt of this payment",
  ),
});

const noticeOut = z.object({ nav: z.string(), iuv: z.string(), amountCents: z.number().int() });

export const startedPaymentOut = z.object({
  paymentId: z.string(),
  checkoutUrl: described(
    z.string(),
    "Pagina di pagoPA Checkout a cui mandare il cittadino",
    "pagoPA Checkout page to send the citizen to",
  ),
  notices: z.array(noticeOut),
});

export const paymentStatusOut = z.object({
  paymentId: z.string(),
  createdAt: isoDateTime,
  allPaid: z.boolean(),
  notices: z.array(
    z.object({
      nav: z.string(),
      amountCents: z.number().int(),
      status: z.enum(["UNPAID", "PAID", "EXPIRED", "CANCELLED", "REPORTED", "UNKNOWN"]),
      inProgress: z.boolean(),
      receiptId: z.string().nullable(),
      paidAt: isoDateTime.nullable(),
    }),
  ),
});
