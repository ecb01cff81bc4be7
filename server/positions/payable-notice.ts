import type { NoticeRecord } from "./payable-notice.repository.ts";
import type { AmountRules } from "../catalog/index.ts";
import { currentAmount } from "./current-amount.ts";

/** The tenant fields a Nodo answer shows. */
export interface PayableNoticeTenant {
  id: string;
  fiscalCode: string;
  name: string;
  sector: string | null;
}

export interface PayableNoticeTransfer {
  index: number;
  beneficiaryFiscalCode: string;
  iban: string | null;
  isPostalIban: boolean;
  stamp: { type: string; documentHash: string; province: string } | null;
  amountCents: number;
  taxonomyCode: string;
  remittanceText: string;
  metadata: Array<{ key: string; value: string }>;
}

/** What the Nodo is told about a payable notice (verify, activation, demand). */
export interface PayableNotice {
  tenant: PayableNoticeTenant;
  optionId: string;
  /** The position the notice belongs to (the cart refuses its single option beside an installment). */
  positionId: string;
  nav: string;
  iuv: string;
  /** Amount due now (after any amount-rule plug-in). */
  amountCents: number;
  baseAmountCents: number;
  dueDate: Date;
  description: string;
  /** True only when every transfer is credited to a postal account. */
  allCCP: boolean;
  installment: { number: number; count: number } | null;
  debtor: {
    type: "F" | "G";
    fiscalCode: string;
    name: string;
    email: string | null;
    address: string | null;
    city: string | null;
    postalCode: string | null;
    province: string | null;
  };
  transfers: PayableNoticeTransfer[];
  amountNote?: string;
}

function metadataOf(raw: unknown): Array<{ key: string; value: string }> {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((e) =>
    e && typeof e === "object" && typeof e.key === "string" && typeof e.value === "string"
      ? [{ key: e.key, value: e.value }]
      : [],
  );
}

/** Builds the Nodo-facing view of a notice, with the amount due at `now`. */
export function toPayableNotice(
  rules: AmountRules,
  tenant: PayableNoticeTenant,
  n: NoticeRecord,
  now: Date,
): PayableNotice {
  const amount = currentAmount(rules, {
    baseAmountCents: n.amountCents,
    transfers: n.transfers.map((t) => ({ amountCents: t.amountCents, isStamp: Boolean(t.stampType) })),
    amountRule: n.position.paymentType?.amountRule ?? null,
    positionData: n.position.data,
    optionDueDate: n.dueDate,
    now,
  });
  const p = n.position;
  return {
    tenant,
    optionId: n.id,
    nav: n.nav,
    iuv: n.iuv,
    amountCents: amount.amountCents,
    baseAmountCents: n.amountCents,
    dueDate: n.dueDate,
    description: n.description ?? p.subject,
    allCCP: n.transfers.length > 0 && n.transfers.every((t) => t.isPostalIban && Boolean(t.iban) && !t.stampType),
    positionId: n.positionId,
    installment:
      n.kind === "INSTALLMENT" && n.installmentNumber
        ? { number: n.installmentNumber, count: n.installmentCount ?? 0 }
        : null,
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
    transfers: n.transfers.map((t, i) => ({
      index: t.index,
      beneficiaryFiscalCode: t.beneficiaryFiscalCode,
      iban: t.iban,
      isPostalIban: t.isPostalIban,
      stamp: t.stampType
        ? { type: t.stampType, documentHash: t.stampDocumentHash ?? "", province: t.stampProvince ?? "" }
        : null,
      amountCents: amount.transferCents[i]!,
      taxonomyCode: t.taxonomyCode,
      remittanceText: t.remittanceText,
      metadata: metadataOf(t.metadata),
    })),
    ...(amount.note ? { amountNote: amount.note } : {}),
  };
}
