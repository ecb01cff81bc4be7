import type { PayableNoticeTransfer, PayableNotice } from "../../positions/index.ts";
import { el, formatAmount, formatRomeDate, leaf, optLeaf, truncate } from "./xml.ts";

// Renders domain views as the children of paForNode response elements, in XSD order.

const EMAIL = /^[a-zA-Z0-9_.+-]+@[a-zA-Z0-9-]+(\.[a-zA-Z0-9-]+)*$/;

/** ctSubject from the position's debtor. */
export function renderSubject(name: string, d: PayableNotice["debtor"]): string {
  const email = d.email && d.email.length <= 256 && EMAIL.test(d.email) ? d.email : null;
  return el(
    name,
    el(
      "uniqueIdentifier",
      leaf("entityUniqueIdentifierType", d.type),
      leaf("entityUniqueIdentifierValue", truncate(d.fiscalCode, 16)),
    ),
    leaf("fullName", truncate(d.name, 70)),
    optLeaf("streetName", d.address, 70),
    optLeaf("postalCode", d.postalCode, 16),
    optLeaf("city", d.city, 35),
    optLeaf("stateProvinceRegion", d.province, 35),
    optLeaf("e-mail", email),
  );
}

function renderMetadata(entries: Array<{ key: string; value: string }>): string {
  const usable = entries.filter((e) => e.key.trim() && e.value.trim()).slice(0, 15);
  if (usable.length === 0) return "";
  return el(
    "metadata",
    ...usable.map((e) => el("mapEntry", leaf("key", truncate(e.key, 140)), leaf("value", truncate(e.value, 140)))),
  );
}

function renderTransfer(t: PayableNoticeTransfer, version: 1 | 2): string {
  const credit =
    t.stamp && version === 2
      ? el(
          "richiestaMarcaDaBollo",
          leaf("hashDocumento", t.stamp.documentHash),
          leaf("tipoBollo", t.stamp.type),
          leaf("provinciaResidenza", t.stamp.province),
        )
      : leaf("IBAN", t.iban ?? "");
  return el(
    "transfer",
    leaf("idTransfer", t.index),
    leaf("transferAmount", formatAmount(t.amountCents)),
    leaf("fiscalCodePA", t.beneficiaryFiscalCode),
    credit,
    leaf("remittanceInformation", truncate(t.remittanceText, 140)),
    leaf("transferCategory", truncate(t.taxonomyCode, 140)),
    renderMetadata(t.metadata),
  );
}

/** `ctPaymentOptionsDescriptionListPA`: the one option the notice stands for. */
export function renderPaymentList(v: PayableNotice): string {
  const detail = v.amountNote ?? (v.installment ? `Rata ${v.installment.number} di ${v.installment.count}` : null);
  return el(
    "paymentList",
    el(
      "paymentOptionDescription",
      leaf("amount", formatAmount(v.amountCents)),
      leaf("options", "EQ"),
      leaf("dueDate", formatRomeDate(v.dueDate)),
      optLeaf("detailDescription", detail, 140),
      leaf("allCCP", v.allCCP),
    ),
  );
}

function renderCompany(v: PayableNotice): string {
  return leaf("companyName", truncate(v.tenant.name, 140)) + optLeaf("officeName", v.tenant.sector, 140);
}

/** paVerifyPaymentNoticeRes children after `outcome`. */
export function renderVerify(v: PayableNotice): string {
  return (
    renderPaymentList(v) +
    leaf("paymentDescription", truncate(v.description, 140)) +
    leaf("fiscalCodePA", v.tenant.fiscalCode) +
    renderCompany(v)
  );
}

/** paDemandPaymentNoticeResponse children after `outcome`. */
export function renderDemand(v: PayableNotice): string {
  return el("qrCode", leaf("fiscalCode", v.tenant.fiscalCode), leaf("noticeNumber", v.nav)) + renderVerify(v);
}

/** The `data` element of paGetPaymentRes (version 1) or paGetPaymentV2Response (version 2). */
export function renderPaymentData(v: PayableNotice, version: 1 | 2): string {
  return el(
    "data",
    leaf("creditorReferenceId", v.iuv),
    leaf("paymentAmount", formatAmount(v.amountCents)),
    leaf("dueDate", formatRomeDate(v.dueDate)),
    leaf("description", truncate(v.description, 140)),
    renderCompany(v),
    renderSubject("debtor", v.debtor),
    el("transferList", ...v.transfers.map((t) => renderTransfer(t, version))),
  );
}
