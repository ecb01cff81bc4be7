import { z } from "zod";

// zod mirrors of the paForNode / common-types simple and complex types this station reads.
// Each rule below is the XSD's (length, pattern, enumeration, occurrence); rules the XSD does
// not have live in extra-rules.ts and answer PAA_SINTASSI_EXTRAXSD instead.

/** stTextN: 1..N characters. */
export const text = (max: number) =>
  z.string().refine((s) => {
    const n = Array.from(s).length;
    return n >= 1 && n <= max;
  }, `1-${max} caratteri`);

export const fiscalCodePA = z.string().regex(/^[0-9]{11}$/);
export const noticeNumber = z.string().regex(/^[0-9]{18}$/);
export const outcome = z.enum(["OK", "KO"]);
export const xsdBoolean = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");
export const base64 = z.string().regex(/^[A-Za-z0-9+/=\s]*$/);

const AMOUNT = /^(\d+)\.(\d{2})$/;
/** stAmount: `\d+\.\d{2}` up to 999999999.99, read as integer cents. */
export const amount = z
  .string()
  .regex(AMOUNT)
  .transform((s) => {
    const m = AMOUNT.exec(s);
    return m ? Number(m[1]) * 100 + Number(m[2]) : Number.NaN;
  })
  .refine((c) => c <= 99_999_999_999, "importo massimo 999999999.99");
/** stAmountNotZero: as stAmount, at least 0.01. */
export const amountNotZero = amount.refine((c) => c >= 1, "importo minimo 0.01");

function validCalendarDay(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})(Z|[+-]\d{2}:\d{2})?$/;
/** xsd:date, read as midnight UTC of that calendar day (dates are days, not instants). */
export const isoDate = z
  .string()
  .regex(DATE)
  .refine((s) => {
    const m = DATE.exec(s);
    return m !== null && validCalendarDay(+m[1]!, +m[2]!, +m[3]!);
  }, "data inesistente")
  .transform((s) => new Date(`${s.slice(0, 10)}T00:00:00Z`));

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

// Building an Intl formatter costs far more than using one: build it once.
const ROME_PARTS = new Intl.DateTimeFormat("en-US", {
  timeZone: "Europe/Rome",
  hourCycle: "h23",
  year: "numeric",
  month: "numeric",
  day: "numeric",
  hour: "numeric",
  minute: "numeric",
  second: "numeric",
});

/** Offset of Rome from UTC at an instant, in minutes. */
function romeOffsetMinutes(at: number): number {
  const parts = ROME_PARTS.formatToParts(new Date(at));
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  return (
    (Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second")) -
      Math.floor(at / 1000) * 1000) /
    60_000
  );
}

/**
 * xsd:dateTime. The Nodo sends local times without an offset; those are Italian times and are
 * converted from Europe/Rome, so the instant stored in UTC is the real one.
 */
export const isoDateTime = z
  .string()
  .regex(DATE_TIME)
  .refine((s) => {
    const m = DATE_TIME.exec(s);
    return m !== null && validCalendarDay(+m[1]!, +m[2]!, +m[3]!) && +m[4]! < 24 && +m[5]! < 60 && +m[6]! < 60;
  }, "data e ora inesistenti")
  .transform((s) => {
    const m = DATE_TIME.exec(s)!;
    if (m[8]) return new Date(s);
    const naive = Date.UTC(
      +m[1]!,
      +m[2]! - 1,
      +m[3]!,
      +m[4]!,
      +m[5]!,
      +m[6]!,
      m[7] ? Math.round(Number(m[7]) * 1000) : 0,
    );
    const first = naive - romeOffsetMinutes(naive) * 60_000;
    return new Date(naive - romeOffsetMinutes(first) * 60_000);
  });

export const qrCode = z.strictObject({ fiscalCode: fiscalCodePA, noticeNumber });

export const metadata = z.strictObject({
  mapEntry: z
    .array(z.strictObject({ key: text(140), value: text(140) }))
    .min(1)
    .max(15),
});

export const subject = z.strictObject({
  uniqueIdentifier: z.strictObject({
    entityUniqueIdentifierType: z.enum(["F", "G"]),
    entityUniqueIdentifierValue: z.string().min(2).max(16),
  }),
  fullName: text(70),
  streetName: text(70).optional(),
  civicNumber: text(16).optional(),
  postalCode: text(16).optional(),
  city: text(35).optional(),
  stateProvinceRegion: text(35).optional(),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .optional(),
  "e-mail": z
    .string()
    .max(256)
    .regex(/^[a-zA-Z0-9_.+-]+@[a-zA-Z0-9-]+(\.[a-zA-Z0-9-]+)*$/)
    .optional(),
});

export const idTransfer = z.enum(["1", "2", "3", "4", "5"]).transform(Number);
