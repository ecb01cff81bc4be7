import {
  formatCentsIt,
  formatDateIt,
  formatNavForPrint,
  noticeQrPayload,
  posteDataMatrixPayload,
} from "../pagopa/index.ts";
import { AppError } from "../platform/errors.ts";
import { dataMatrixSvg, qrSvg } from "./notice-codes.ts";
import { labelsFor, type Label, type NoticeTextKey } from "./notice-labels.ts";
import { planInstallmentSheets, type InstallmentLayout } from "./notice-layout.ts";
import {
  noticeBrandingSchema,
  type NoticeOption,
  type NoticePosition,
  type PrintableNoticeTenant,
} from "./notice.schema.ts";

/** The notice guide allows 90 characters of subject in the header. */
export const SUBJECT_MAX = 90;

export interface PaymentCell {
  nav: string;
  navText: string;
  amountText: string;
  dueDateText: string;
  /** "Rata unica" or "Rata 2 di 5". */
  title: Label;
  number: number | null;
  count: number | null;
  qrPayload: string;
  qrSvg: string;
}

export interface PostalCell {
  account: string;
  holder: string;
  amountText: string;
  navText: string;
  dueDateText: string;
  title: Label;
  dataMatrixPayload: string;
  dataMatrixSvg: string;
}

export interface InstallmentRow {
  cells: Array<PaymentCell | null>;
  postal: Array<PostalCell | null> | null;
}

export interface NoticeView {
  positionId: string;
  bilingual: boolean;
  labels: Record<NoticeTextKey, Label>;
  subject: string;
  creditor: {
    name: string;
    fiscalCode: string;
    sector: string | null;
    info: string | null;
    cbill: string;
    logoDataUrl: string | null;
    initials: string;
    /** The council's colour for the initials badge; null prints it black as the guide shows. */
    badgeColour: string | null;
    postalAuthorization: string | null;
  };
  debtor: { name: string; fiscalCode: string; addressLines: string[] };
  summary: {
    amountText: string;
    dueLabel: Label;
    dueDateText: string;
    note: Label | null;
    installmentsFollow: boolean;
  };
  single: PaymentCell | null;
  singlePostal: PostalCell | null;
  sheets: Array<{ layout: InstallmentLayout; cols: number; rows: InstallmentRow[] }>;
  /** Pages this notice prints on: 1 + one per installment sheet (each page has a fixed height). */
  pageCount: number;
  /** Every notice number printed, in order: what a batch checks it delivered. */
  navs: string[];
}

const STOPWORDS = new Set([
  "di",
  "d",
  "l",
  "del",
  "della",
  "dei",
  "degli",
  "delle",
  "e",
  "la",
  "il",
  "lo",
  "le",
  "da",
  "in",
]);
const GENERIC = new Set([
  "comune",
  "provincia",
  "regione",
  "città",
  "citta",
  "unione",
  "istituto",
  "università",
  "universita",
  "consorzio",
  "azienda",
  "ente",
]);

/** "Comune di Borgo Fiorito" → "BF": the badge printed when a council has no logo. */
export function initialsOf(name: string): string {
  const words = name.split(/[\s'’-]+/).filter((w) => w && !STOPWORDS.has(w.toLowerCase()));
  const significant = words.filter((w) => !GENERIC.has(w.toLowerCase()));
  const chosen = significant.length ? significant : words;
  return (
    chosen
      .slice(0, 3)
      .map((w) => w[0]!.toUpperCase())
      .join("") || "?"
  );
}

/** Cuts at a word boundary and marks the cut, so the subject never overflows the header. */
export function truncateSubject(subject: string, max = SUBJECT_MAX): string {
  const clean = subject.replace(/\s+/g, " ").trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

function addressLines(p: NoticePosition): string[] {
  const city = [p.debtorPostalCode, p.debtorCity, p.debtorProvince ? `(${p.debtorProvince})` : null]
    .filter(Boolean)
    .join(" ");
  return [p.debtorAddress, city].filter((line): line is string => Boolean(line && line.trim()));
}

function title(labels: Record<NoticeTextKey, Label>, option: NoticeOption): Label {
  if (option.kind === "SINGLE") return labels.single;
  const n = option.installmentNumber ?? 0;
  const count = option.installmentCount ?? n;
  const text = (l: Label, key: "it" | "second") => `${l[key]} ${n} ${labels.of[key]} ${count}`;
  return {
    it: text(labels.installment, "it"),
    second: labels.installment.second ? text(labels.installment, "second") : null,
  };
}

/** "in 5 rate, la prima entro il": the headline of a notice payable only in installments. */
function firstOf(labels: Record<NoticeTextKey, Label>, count: number): Label {
  const fill = (text: string) => text.replace("{n}", String(count));
  return {
    it: fill(labels.firstInstallmentBy.it),
    second: labels.firstInstallmentBy.second ? fill(labels.firstInstallmentBy.second) : null,
  };
}

/**
 * Builds everything the notice template prints, with amounts and dates already in Italian
 * formats and the QR and DataMatrix payloads computed by server/pagopa. Options are printed in
 * order: the single payment first, then installments by number.
 * @throws AppError NOTICE_NOTHING_TO_PAY when the position has no option left to pay
 */
export async function buildNoticeView(tenant: PrintableNoticeTenant, position: NoticePosition): Promise<NoticeView> {
  const branding = noticeBrandingSchema.parse(
    tenant.branding && typeof tenant.branding === "object" ? tenant.branding : {},
  );
  const labels = labelsFor(branding.secondLanguage ?? null);
  const single = position.options.find((o) => o.kind === "SINGLE") ?? null;
  const installments = position.options
    .filter((o) => o.kind === "INSTALLMENT")
    .sort((a, b) => (a.installmentNumber ?? 0) - (b.installmentNumber ?? 0));
  if (!single && installments.length === 0) {
    throw new AppError("NOTICE_NOTHING_TO_PAY", `Position ${position.id} has no option left to pay`, 409);
  }
  const subject = truncateSubject(position.subject);
  const postalAccount = tenant.postalAccount?.trim() || null;

  const cell = async (o: NoticeOption): Promise<PaymentCell> => {
    const qrPayload = noticeQrPayload({
      nav: o.nav,
      creditorFiscalCode: tenant.fiscalCode,
      amountCents: o.amountCents,
    });
    return {
      nav: o.nav,
      navText: formatNavForPrint(o.nav),
      amountText: formatCentsIt(o.amountCents),
      dueDateText: formatDateIt(o.dueDate),
      title: title(labels, o),
      number: o.installmentNumber,
      count: o.installmentCount,
      qrPayload,
      qrSvg: await qrSvg(qrPayload),
    };
  };
  const postal = (o: NoticeOption): PostalCell | null => {
    if (!postalAccount) return null;
    const payload = posteDataMatrixPayload({
      nav: o.nav,
      postalAccount,
      amountCents: o.amountCents,
      creditorFiscalCode: tenant.fiscalCode,
      debtorFiscalCode: position.debtorFiscalCode,
      debtorName: position.debtorName,
      subject: position.subject,
    });
    return {
      account: postalAccount,
      holder: tenant.postalHolder ?? tenant.name,
      amountText: formatCentsIt(o.amountCents),
      navText: formatNavForPrint(o.nav),
      dueDateText: formatDateIt(o.dueDate),
      title: title(labels, o),
      dataMatrixPayload: payload,
      dataMatrixSvg: dataMatrixSvg(payload),
    };
  };

  const plan = planInstallmentSheets(installments, { postal: Boolean(postalAccount) });
  const sheets = [];
  for (const sheet of plan) {
    const rows: InstallmentRow[] = [];
    for (const row of sheet.rows) {
      rows.push({
        cells: await Promise.all(row.map((o) => (o ? cell(o) : null))),
        postal: postalAccount ? row.map((o) => (o ? postal(o) : null)) : null,
      });
    }
    sheets.push({ layout: sheet.layout, cols: sheet.layout === "2up" ? 2 : 3, rows });
  }

  const total = installments.reduce((sum, o) => sum + o.amountCents, 0);
  const headline = single ?? installments[0]!;
  return {
    positionId: position.id,
    bilingual: Boolean(branding.secondLanguage),
    labels,
    subject,
    creditor: {
      name: tenant.name,
      fiscalCode: tenant.fiscalCode,
      sector: tenant.sector,
      info: tenant.info,
      cbill: (tenant.cbill ?? "").toUpperCase(),
      logoDataUrl: branding.logoUrl ?? null,
      initials: initialsOf(tenant.name),
      badgeColour: branding.primaryColor ?? null,
      postalAuthorization: branding.postalAuthorization ?? null,
    },
    debtor: { name: position.debtorName, fiscalCode: position.debtorFiscalCode, addressLines: addressLines(position) },
    summary: {
      amountText: formatCentsIt(single ? single.amountCents : total),
      dueLabel: single ? labels.by : firstOf(labels, installments.length),
      dueDateText: formatDateIt(headline.dueDate),
      note: installments.length === 0 ? null : single ? labels.singleOrInstallments : labels.installmentsOnly,
      installmentsFollow: installments.length > 0,
    },
    single: single ? await cell(single) : null,
    singlePostal: single ? postal(single) : null,
    sheets,
    pageCount: 1 + sheets.length,
    navs: [...(single ? [single.nav] : []), ...installments.map((o) => o.nav)],
  };
}
