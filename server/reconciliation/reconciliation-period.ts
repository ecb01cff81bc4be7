import { z } from "zod";
import { CLASSIFICATION_CODES } from "./classify-payments.ts";

const rome = new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Rome" });

/** The current Rome month, first to last day (yyyy-mm-dd): the section's default period. */
export function currentRomeMonth(now = new Date()): { dal: string; al: string } {
  const today = rome.format(now);
  const [y, m] = today.split("-").map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { dal: `${today.slice(0, 7)}-01`, al: `${today.slice(0, 7)}-${String(last).padStart(2, "0")}` };
}

/**
 * A period of Rome calendar days (both included, at most a year and a day) as the section's
 * query string carries it; empty fields are the current month.
 */
export const reconciliationPeriodSchema = z
  .object({
    dal: z.iso
      .date("indica la data iniziale (aaaa-mm-gg)")
      .optional()
      .or(z.literal("").transform(() => undefined)),
    al: z.iso
      .date("indica la data finale (aaaa-mm-gg)")
      .optional()
      .or(z.literal("").transform(() => undefined)),
  })
  .transform((p) => {
    const month = currentRomeMonth();
    return { dal: p.dal ?? month.dal, al: p.al ?? month.al };
  })
  .refine((p) => p.dal <= p.al, { message: "la data iniziale viene dopo la finale", path: ["al"] })
  .refine((p) => Date.parse(p.al) - Date.parse(p.dal) <= 366 * 86_400_000, {
    message: "al massimo un anno per volta",
    path: ["al"],
  });
export type ReconciliationPeriod = z.output<typeof reconciliationPeriodSchema>;

/** A filtered, paged list of classifications: the period, an outcome code, a page. */
export const classificationQuerySchema = z
  .object({
    dal: z.string().optional(),
    al: z.string().optional(),
    codice: z
      .enum(CLASSIFICATION_CODES)
      .optional()
      .or(z.literal("").transform(() => undefined)),
    pagina: z.coerce.number().int().min(1).max(100_000).default(1),
  })
  .transform((q, ctx) => {
    const period = reconciliationPeriodSchema.safeParse({ dal: q.dal, al: q.al });
    if (!period.success) {
      for (const issue of period.error.issues)
        ctx.addIssue({ code: "custom", message: issue.message, path: issue.path });
      return z.NEVER;
    }
    return { ...period.data, codice: q.codice, pagina: q.pagina };
  });
export type ClassificationQuery = z.output<typeof classificationQuerySchema>;
