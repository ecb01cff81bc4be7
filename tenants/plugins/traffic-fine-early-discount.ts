import { z } from "zod";
import { defineAmountRulePlugin } from "../../server/catalog/amount-rules.ts";

const ROME_DAY = new Intl.DateTimeFormat("en-CA", {
  timeZone: "Europe/Rome",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/** The calendar date (YYYY-MM-DD) of an instant as seen in Rome. */
function romeDate(at: Date): string {
  return ROME_DAY.format(at);
}

/** Whole days between two calendar dates given as YYYY-MM-DD. */
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

const params = z.object({
  discountPercent: z.number().min(0).max(100).default(30),
  withinDays: z.number().int().min(0).max(365).default(5),
});

/**
 * Traffic fines (Codice della Strada, art. 202) are reduced by 30% when paid within 5 days of
 * the notification. The window is counted in Rome calendar days: notified on the 10th, the
 * reduced amount applies through the whole of the 15th. Without `data.notifiedAt` the council
 * does not yet know when the window opened, so the full amount is due (the verify is answered
 * live, so the amount drops as soon as the notification date is recorded).
 * The discount is rounded to the nearest cent in the citizen's favour on a half cent.
 */
export const trafficFineEarlyDiscount = defineAmountRulePlugin({
  name: "traffic-fine-early-discount",
  description: "Sanzione ridotta se pagata entro pochi giorni dalla notifica",
  params,
  currentAmount(ctx, p) {
    const raw = ctx.positionData.notifiedAt;
    const notifiedAt = typeof raw === "string" || raw instanceof Date ? new Date(raw) : null;
    if (!notifiedAt || Number.isNaN(notifiedAt.getTime()) || notifiedAt > ctx.now) {
      return { amountCents: ctx.baseAmountCents };
    }
    const elapsed = daysBetween(romeDate(notifiedAt), romeDate(ctx.now));
    if (elapsed > p.withinDays) return { amountCents: ctx.baseAmountCents };
    // Math.round rounds a half cent up, i.e. a larger discount: in the citizen's favour.
    const discount = Math.round((ctx.baseAmountCents * p.discountPercent) / 100);
    const amountCents = Math.max(1, ctx.baseAmountCents - discount);
    return {
      amountCents,
      note: `Importo ridotto del ${p.discountPercent}% se pagato entro ${p.withinDays} giorni dalla notifica`,
    };
  },
});
