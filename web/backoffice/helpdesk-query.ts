import { z } from "zod";
import { isValidFiscalCode } from "../../server/pagopa/index.ts";

/** What a helpdesk person can search by, as the form names it. */
export const HELPDESK_KINDS = {
  auto: "Riconosci automaticamente",
  nav: "Codice avviso",
  iuv: "IUV",
  receiptId: "Identificativo ricevuta",
  fiscalCode: "Codice fiscale",
} as const;
export type HelpdeskKind = keyof typeof HELPDESK_KINDS;

/** The helpdesk's search form (a POST with the session's CSRF token). */
export const helpdeskFormSchema = z.object({
  per: z.enum(Object.keys(HELPDESK_KINDS) as [HelpdeskKind, ...HelpdeskKind[]]).catch("auto"),
  valore: z
    .string()
    .catch("")
    .transform((s) => s.trim().slice(0, 80)),
});

/**
 * What a typed code is, as printed on notices and receipts: spaces (and the dots or dashes some
 * people type between groups) do not count. 18 digits are a notice code (NAV), a valid fiscal
 * code or VAT number is the debtor's, "RF…" or 15 to 17 digits an IUV, anything else up to 35
 * characters a receipt id.
 */
export function detectHelpdeskQuery(
  kind: HelpdeskKind,
  typed: string,
): { kind: Exclude<HelpdeskKind, "auto">; value: string } {
  const compact = typed.replace(/[\s.-]+/g, "");
  if (kind === "nav" || kind === "iuv") return { kind, value: compact };
  if (kind === "fiscalCode") return { kind, value: compact.toUpperCase() };
  if (kind === "receiptId") return { kind, value: typed.trim() };
  if (/^\d{18}$/.test(compact)) return { kind: "nav", value: compact };
  if (isValidFiscalCode(compact.toUpperCase())) return { kind: "fiscalCode", value: compact.toUpperCase() };
  if (/^RF\d{2}/i.test(compact) || /^\d{15,17}$/.test(compact)) return { kind: "iuv", value: compact.toUpperCase() };
  return { kind: "receiptId", value: typed.trim() };
}
