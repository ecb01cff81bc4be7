import type { Redis } from "ioredis";
import { z } from "zod";
import type { AppConfig } from "../config/env.ts";
import type { Database } from "../platform/db/database.ts";
import type { Logger } from "../platform/observability/logger.ts";
import type { PdfRenderer } from "../platform/pdf/index.ts";
import { formatCentsIt, formatDateTimeIt } from "../pagopa/index.ts";
import { presentFee, renderReceiptPdf } from "../receipts/index.ts";
import type { Mailer } from "../platform/mail/mailer.ts";
import { takeReceiptRecipient } from "./receipt-recipient.ts";
import { receiptEmail } from "./receipt-email.template.ts";

export interface ReceiptEmailDeps {
  db: Database;
  redis: Redis;
  pdf: PdfRenderer;
  mailer: Mailer;
  logger: Logger;
  config: Pick<AppConfig, "PUBLIC_BASE_URL" | "QUEUE_PREFIX">;
}

const email = z.email();
const payerEmail = z.object({ email: z.email() }).nullable().catch(null);

export type ReceiptEmailOutcome = "sent" | "already-sent" | "no-recipient" | "not-paid" | "not-found";

/**
 * E-mails the payer the link to their receipt, with the receipt PDF attached. The address is the
 * one given on the portal in the checkout that paid it, else the payer's e-mail in the pagoPA receipt.
 * Once per receipt: `email_sent_at` is set on the receipt after a successful send, in PostgreSQL
 * so that a follow-up queued again after Redis lost its queue does not send twice either (a crash
 * or an unreachable database between the two sends it again: at least once, never zero times).
 */
export async function sendReceiptEmail(
  deps: ReceiptEmailDeps,
  tenantId: string,
  receiptId: string,
): Promise<ReceiptEmailOutcome> {
  const found = await deps.db.withTenant(tenantId, async (tx) => {
    const receipt = await tx.receipt.findUnique({
      where: { tenantId_receiptId: { tenantId, receiptId } },
      select: {
        id: true,
        nav: true,
        outcome: true,
        amountCents: true,
        feeCents: true,
        paymentDateTime: true,
        receivedAt: true,
        accessToken: true,
        payer: true,
        cart: true,
        emailSentAt: true,
      },
    });
    const tenant = await tx.tenant.findUnique({ where: { id: tenantId }, select: { name: true, fiscalCode: true } });
    return receipt && tenant ? { receipt, tenant } : null;
  });
  if (!found) return "not-found";
  const { receipt, tenant } = found;
  if (receipt.emailSentAt) return "already-sent";
  if (receipt.outcome !== "OK") return "not-paid";
  // The portal's address only for the payment of the checkout it was given in (issue 13 item 2).
  const given = await takeReceiptRecipient(deps.redis, deps.config.QUEUE_PREFIX, {
    tenantId,
    nav: receipt.nav,
    receiptId,
    paidAt: receipt.paymentDateTime ?? receipt.receivedAt,
  });
  const to = (given && email.safeParse(given).success ? given : null) ?? payerEmail.parse(receipt.payer)?.email ?? null;
  if (!to) return "no-recipient";

  const pdf = await renderReceiptPdf({ db: deps.db, pdf: deps.pdf }, tenantId, receipt.id);
  const mail = receiptEmail({
    council: tenant.name,
    total: formatCentsIt(presentFee(receipt, tenant.fiscalCode).totalCents),
    paidAt: formatDateTimeIt(receipt.paymentDateTime ?? receipt.receivedAt),
    nav: receipt.nav.replace(/(\d{4})(?=\d)/g, "$1 "),
    link: `${deps.config.PUBLIC_BASE_URL.replace(/\/+$/, "")}/ricevute/${receipt.accessToken}`,
  });
  await deps.mailer.send({
    to,
    ...mail,
    attachments: [{ filename: pdf.fileName, content: pdf.pdf, contentType: "application/pdf" }],
  });
  await deps.db.withTenant(tenantId, (tx) =>
    tx.receipt.update({ where: { id: receipt.id }, data: { emailSentAt: new Date() } }),
  );
  deps.logger.info({ tenantId, receiptId }, "receipt e-mail sent");
  return "sent";
}
