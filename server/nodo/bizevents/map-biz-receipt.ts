import { z } from "zod";
import type { ReceiptInput } from "../../positions/index.ts";
import { receiptInputOf, type CtSubject } from "../receipt-input.ts";

/**
 * Maps what pagoPA's biz-events service holds to the receipt paSendRTV2 would have delivered
 * (positions' ReceiptInput), so a recovered receipt is stored by the same registerReceipt.
 * Two shapes: the organisation receipt the API answers (CtReceiptModelResponse, amounts in
 * euro as numbers) and the biz-event document itself (version 1/2, amounts as strings or
 * numbers, times in Rome local time without an offset). What cannot be a receipt is refused
 * with a reason, never guessed.
 */
export type MappedReceipt = { ok: true; receipt: ReceiptInput } | { ok: false; reason: string };

const euro = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/)]).transform((v) => Math.round(Number(v) * 100));
const text = z.string().nullish();

const subject = z
  .object({
    entityUniqueIdentifierType: text,
    entityUniqueIdentifierValue: text,
    fullName: text,
    streetName: text,
    civicNumber: text,
    postalCode: text,
    city: text,
    stateProvinceRegion: text,
    country: text,
    email: text,
  })
  .nullish();

const orgReceipt = z.object({
  receiptId: z.string().min(1).max(35),
  noticeNumber: z.string().regex(/^\d{18}$/),
  fiscalCode: z.string().min(1),
  outcome: z.enum(["OK", "KO"]),
  creditorReferenceId: z.string().min(1).max(35),
  paymentAmount: euro,
  debtor: subject,
  transferList: z
    .array(
      z.object({
        idTransfer: z.coerce.number().int(),
        transferAmount: euro,
        fiscalCodePA: z.string(),
        iban: text,
        mbdAttachment: text,
        remittanceInformation: z.string(),
        transferCategory: z.string(),
      }),
    )
    .min(1),
  idPSP: z.string().min(1),
  pspFiscalCode: text,
  pspCompanyName: text,
  idChannel: text,
  payer: subject,
  paymentMethod: text,
  fee: euro.nullish(),
  paymentDateTime: text,
  paymentDateTimeFormatted: text,
  applicationDate: text,
  transferDate: text,
});

const bizEvent = z.object({
  version: z.string().optional(),
  receiptId: text,
  debtorPosition: z.object({
    modelType: text,
    noticeNumber: text,
    iuv: z.string().min(1).max(35),
    iur: text,
  }),
  creditor: z.object({ idPA: z.string().min(1) }),
  psp: z.object({
    idPsp: z.string().min(1),
    idChannel: text,
    pspFiscalCode: text,
    psp: text,
  }),
  debtor: subject,
  payer: subject,
  paymentInfo: z.object({
    paymentDateTime: text,
    applicationDate: text,
    transferDate: text,
    paymentToken: text,
    amount: euro,
    fee: euro.nullish(),
    paymentMethod: text,
  }),
  transferList: z
    .array(
      z.object({
        idTransfer: z.coerce.number().int().nullish(),
        fiscalCodePA: z.string(),
        amount: euro,
        IBAN: text,
        MBDAttachment: text,
        remittanceInformation: text,
        transferCategory: text,
      }),
    )
    .min(1),
});

/** The archive leaves a subject's fields out freely: one without an identifier is no subject. */
function ctSubject(s: z.infer<typeof subject>): CtSubject | null {
  if (!s?.entityUniqueIdentifierValue) return null;
  return {
    ...s,
    entityUniqueIdentifierType: s.entityUniqueIdentifierType ?? "F",
    entityUniqueIdentifierValue: s.entityUniqueIdentifierValue,
    fullName: s.fullName ?? "",
  };
}

const romeOffset = new Intl.DateTimeFormat("en-US", { timeZone: "Europe/Rome", timeZoneName: "longOffset" });

/** A biz-events time: with an offset as is; without one it is Rome local time (how pagoPA writes it). */
export function bizTime(value: string | null | undefined): Date | null {
  if (!value) return null;
  if (/(Z|[+-]\d{2}:?\d{2})$/.test(value)) {
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}(?::\d{2})?)(\.\d+)?)?$/.exec(value);
  if (!m) return null;
  const ms = m[3] ? `.${m[3].slice(1, 4).padEnd(3, "0")}` : "";
  const asUtc = new Date(`${m[1]}T${m[2] ?? "00:00:00"}${ms}Z`);
  if (Number.isNaN(asUtc.getTime())) return null;
  // The offset Rome had at (about) that instant; a wall time inside the DST change is rare enough.
  const name = romeOffset.formatToParts(asUtc).find((p) => p.type === "timeZoneName")?.value ?? "GMT+01:00";
  const o = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  const minutes = o ? (o[1] === "-" ? -1 : 1) * (Number(o[2]) * 60 + Number(o[3])) : 0;
  return new Date(asUtc.getTime() - minutes * 60_000);
}

const reasonOf = (err: z.ZodError) =>
  err.issues
    .slice(0, 3)
    .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
    .join("; ");

/** The organisation receipt of GET /organizations/{cf}/receipts/{iur}[/paymentoptions/{iuv}]. */
export function mapOrganizationReceipt(json: unknown): MappedReceipt {
  const parsed = orgReceipt.safeParse(json);
  if (!parsed.success) return { ok: false, reason: reasonOf(parsed.error) };
  const r = parsed.data;
  return {
    ok: true,
    receipt: receiptInputOf({
      ...r,
      paymentDateTime: bizTime(r.paymentDateTimeFormatted) ?? bizTime(r.paymentDateTime),
      applicationDate: bizTime(r.applicationDate),
      transferDate: bizTime(r.transferDate),
      // The archive does not say; Stand-In receipts show as outcome codes in the flows.
      standIn: false,
      payer: ctSubject(r.payer),
      debtor: ctSubject(r.debtor),
      transfers: r.transferList.map((t, i) => ({
        ...t,
        // pagoPA's own sample numbers every transfer 0: keep the order then.
        idTransfer: r.transferList.every((x) => x.idTransfer === 0) ? i + 1 : t.idTransfer,
        // pagoPA's document requires both: the one that does not apply may come empty.
        iban: t.iban || null,
        mbdAttachment: t.mbdAttachment || null,
      })),
    }),
  };
}

/**
 * A biz-event document (what the service stores for every sendRT). Only an event with an
 * 18-digit notice number is a receipt we can apply; an old-model cart (RPT/WISP) without one,
 * or a malformed number, is refused.
 */
export function mapBizEvent(json: unknown): MappedReceipt {
  const parsed = bizEvent.safeParse(json);
  if (!parsed.success) return { ok: false, reason: reasonOf(parsed.error) };
  const e = parsed.data;
  const nav = e.debtorPosition.noticeNumber;
  if (!nav || !/^\d{18}$/.test(nav))
    return {
      ok: false,
      reason: `debtorPosition.noticeNumber: no 18-digit notice number (model ${e.debtorPosition.modelType ?? "?"})`,
    };
  const receiptId = e.receiptId ?? e.paymentInfo.paymentToken ?? e.debtorPosition.iur;
  if (!receiptId || receiptId.length > 35) return { ok: false, reason: "receiptId: missing or longer than 35" };
  return {
    ok: true,
    receipt: receiptInputOf({
      receiptId,
      noticeNumber: nav,
      fiscalCode: e.creditor.idPA,
      // The service records sendRT of successful payments only.
      outcome: "OK",
      creditorReferenceId: e.debtorPosition.iuv,
      paymentAmount: e.paymentInfo.amount,
      fee: e.paymentInfo.fee,
      idPSP: e.psp.idPsp,
      pspCompanyName: e.psp.psp,
      pspFiscalCode: e.psp.pspFiscalCode,
      idChannel: e.psp.idChannel,
      paymentMethod: e.paymentInfo.paymentMethod,
      paymentDateTime: bizTime(e.paymentInfo.paymentDateTime),
      applicationDate: bizTime(e.paymentInfo.applicationDate),
      transferDate: bizTime(e.paymentInfo.transferDate),
      standIn: false,
      payer: ctSubject(e.payer),
      debtor: ctSubject(e.debtor),
      transfers: e.transferList.map((t, i) => ({
        idTransfer: t.idTransfer ?? i + 1,
        transferAmount: t.amount,
        fiscalCodePA: t.fiscalCodePA,
        iban: t.IBAN,
        mbdAttachment: t.MBDAttachment,
        remittanceInformation: t.remittanceInformation ?? "",
        transferCategory: t.transferCategory ?? "",
      })),
    }),
  };
}
