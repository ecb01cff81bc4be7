import { z } from "zod";
import type { Bilingual } from "../operation.ts";

/** One description in both languages, as the documentation shows it. */
export const text = (t: Bilingual) => `${t.it}\n\n*EN:* ${t.en}`;
export const described = <T extends z.ZodType>(schema: T, it: string, en: string, example?: unknown): T =>
  schema.meta({ description: text({ it, en }), ...(example === undefined ? {} : { examples: [example] }) });

export const isoDate = z.iso.date();
export const isoDateTime = z.iso.datetime({ offset: true });
export const cents = z.number().int().positive().max(2_147_483_647);

// Made once (building a formatter costs far more than formatting with it).
const romeDayFmt = new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Rome" });

/** "YYYY-MM-DD" of an instant in Europe/Rome (a due date is a day in Italy). */
export function romeDate(d: Date): string {
  return romeDayFmt.format(d);
}
export const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export const ipaParams = z.object({ ipa: z.string().min(1).max(40) });

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    code: z.string(),
    instance: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ description: text({ it: "Errore (RFC 9457, problem+json)", en: "Error (RFC 9457, problem+json)" }) });
