import { z } from "zod";
import { issuePayLink, PAY_LINK_DEFAULT_DAYS, PAY_LINK_MAX_DAYS } from "../../checkout/index.ts";
import { defineOperation } from "../operation.ts";
import { described, ipaParams, isoDateTime } from "../schemas/common.ts";

const BASE = "/tenants/:ipa";

/** The signed "pay this notice" link: the council e-mails or prints it; the citizen opens and pays. */
export const payLinkOperations = [
  defineOperation({
    operationId: "createPayLink",
    method: "post",
    path: `${BASE}/positions/:positionId/pay-links`,
    tag: "payments",
    role: "payments.write",
    summary: { it: "Link firmato «paga questo avviso»", en: 'Signed "pay this notice" link' },
    description: {
      it: `Un link da inviare per e-mail o stampare: apre sul portale l'avviso (ente e codice avviso legati dalla firma) e lo fa pagare con pagoPA Checkout. Senza \`nav\` vale per il pagamento unico o, se non c'è, per la prima rata da pagare. Scade dopo \`expiresInDays\` giorni (${PAY_LINK_DEFAULT_DAYS} se omesso, al massimo ${PAY_LINK_MAX_DAYS}). Non contiene dati del debitore.`,
      en: `A link to e-mail or print: it opens the notice on the portal (council and notice number bound by the signature) and pays it through pagoPA Checkout. Without \`nav\` it is for the single payment or, if none, the first unpaid installment. It expires after \`expiresInDays\` days (${PAY_LINK_DEFAULT_DAYS} if omitted, at most ${PAY_LINK_MAX_DAYS}). It carries no debtor data.`,
    },
    params: ipaParams.extend({ positionId: z.string().max(64) }),
    body: z.object({
      nav: described(
        z
          .string()
          .regex(/^\d{18}$/)
          .optional(),
        "Codice avviso di una delle opzioni della posizione",
        "Notice number of one of the position's options",
      ),
      expiresInDays: z.number().int().min(1).max(PAY_LINK_MAX_DAYS).optional(),
    }),
    example: { expiresInDays: 60 },
    responses: {
      201: {
        description: { it: "Il link, con l'avviso e la scadenza", en: "The link, with its notice and expiry" },
        schema: z.object({ url: z.string(), nav: z.string(), expiresAt: isoDateTime }),
      },
    },
    async handle(ctx) {
      const link = await issuePayLink(ctx.deps, ctx.tenant, ctx.params.positionId, ctx.body);
      return { status: 201, body: { ...link, expiresAt: link.expiresAt.toISOString() } };
    },
  }),
];
