import type { z } from "zod";
import type { PositionSnapshot } from "../positions/index.ts";
import { endOfRomeDay, startOfRomeDay } from "../pagopa/index.ts";
import type { CreatePositionInput } from "../positions/index.ts";
import { iso, romeDate } from "./schemas/common.ts";
import type { createPositionBody, paymentStatusOut, positionOut } from "./schemas/positions.schema.ts";

type TransferBody = NonNullable<z.output<typeof createPositionBody>["single"]>["transfers"][number];

/** The API's transfer as the use case takes it. */
export function transferInput(t: TransferBody) {
  return {
    amountCents: t.amountCents,
    taxonomyCode: t.taxonomyCode,
    remittanceText: t.remittanceText,
    beneficiaryFiscalCode: t.beneficiaryFiscalCode,
    iban: t.iban,
    isPostalIban: t.postalIban,
    stamp: t.stamp,
    metadata: t.metadata ?? [],
    budgetChapter: t.budgetChapter,
    assessment: t.assessment,
    accountingLines: t.accountingLines ?? [],
  };
}

/** The API's create body as the positions use case takes it (days become Rome instants). */
export function createInput(body: z.output<typeof createPositionBody>): CreatePositionInput {
  const option = (o: NonNullable<typeof body.single>) => ({
    amountCents: o.amountCents,
    dueDate: endOfRomeDay(o.dueDate),
    expiresAt: o.expiresAt ? endOfRomeDay(o.expiresAt) : undefined,
    description: o.description,
    nav: o.nav,
    transfers: o.transfers.map(transferInput),
  });
  return {
    externalId: body.externalId,
    iupd: body.iupd,
    paymentTypeCode: body.paymentTypeCode,
    origin: "API",
    subject: body.subject,
    debtor: body.debtor,
    validFrom: body.validFrom ? startOfRomeDay(body.validFrom) : undefined,
    publish: body.publish,
    data: body.documentId ? { documentId: body.documentId } : {},
    single: body.single ? option(body.single) : undefined,
    installments: body.installments?.map(option),
  };
}

type Receipt = PositionSnapshot["options"][number]["receipts"][number];
const receiptSummary = (r: Receipt) => ({
  receiptId: r.receiptId,
  nav: r.nav,
  iuv: r.iuv,
  outcome: r.outcome,
  amountCents: r.amountCents,
  feeCents: r.feeCents,
  pspId: r.pspId,
  pspName: r.pspName,
  paymentDateTime: iso(r.paymentDateTime),
  receivedAt: r.receivedAt.toISOString(),
});

/** A position as the API shows it (money in cents, instants in UTC, due dates as days in Rome). */
export function positionView(p: PositionSnapshot, now = new Date()): z.input<typeof positionOut> {
  const data = (p.data ?? {}) as Record<string, unknown>;
  return {
    id: p.id,
    iupd: p.iupd,
    externalId: p.externalId,
    documentId: typeof data.documentId === "string" ? data.documentId : null,
    paymentTypeCode: p.paymentType?.code ?? null,
    status: p.status,
    origin: p.origin,
    subject: p.subject,
    debtor: {
      type: p.debtorType,
      fiscalCode: p.debtorFiscalCode,
      name: p.debtorName,
      email: p.debtorEmail,
      address: p.debtorAddress,
      city: p.debtorCity,
      postalCode: p.debtorPostalCode,
      province: p.debtorProvince,
    },
    validFrom: iso(p.validFrom),
    dueDate: iso(p.dueDate),
    publishedAt: iso(p.publishedAt),
    paidAt: iso(p.paidAt),
    cancelledAt: iso(p.cancelledAt),
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
    options: p.options.map((o) => ({
      nav: o.nav,
      iuv: o.iuv,
      kind: o.kind,
      installmentNumber: o.installmentNumber,
      installmentCount: o.installmentCount,
      amountCents: o.amountCents,
      description: o.description,
      dueDate: romeDate(o.dueDate),
      expiresAt: iso(o.expiresAt),
      status: o.status,
      paidAt: iso(o.paidAt),
      activationLockedUntil:
        o.status === "UNPAID" && o.lockedUntil && o.lockedUntil > now ? o.lockedUntil.toISOString() : null,
      transfers: o.transfers.map((t) => ({
        index: t.index,
        beneficiaryFiscalCode: t.beneficiaryFiscalCode,
        iban: t.iban,
        postalIban: t.isPostalIban,
        stamp:
          t.stampType && t.stampDocumentHash && t.stampProvince
            ? { type: t.stampType, documentHash: t.stampDocumentHash, province: t.stampProvince }
            : null,
        amountCents: t.amountCents,
        paidCents: t.paidCents,
        taxonomyCode: t.taxonomyCode,
        remittanceText: t.remittanceText,
        budgetChapter: t.budgetChapter,
        assessment: t.assessment,
      })),
      receipts: o.receipts.map(receiptSummary),
    })),
  };
}

/** What is paid of a position and by which receipts. */
export function paymentStatusView(p: PositionSnapshot, now = new Date()): z.input<typeof paymentStatusOut> {
  const view = positionView(p, now);
  return {
    positionId: p.id,
    status: p.status,
    paidCents: p.options.filter((o) => o.status === "PAID").reduce((sum, o) => sum + o.amountCents, 0),
    options: view.options.map((o) => ({
      nav: o.nav,
      kind: o.kind,
      installmentNumber: o.installmentNumber,
      amountCents: o.amountCents,
      status: o.status,
      paidAt: o.paidAt,
      activationLockedUntil: o.activationLockedUntil,
    })),
    receipts: view.options.flatMap((o) => o.receipts),
  };
}
