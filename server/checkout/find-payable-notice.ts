import type { Tenant } from "../generated/prisma/client.ts";
import { AppError } from "../platform/errors.ts";
import { isNoticeOfDebtor, verifyPaymentNotice, type PayableNotice } from "../positions/index.ts";
import { findTenantByFiscalCode } from "../tenancy/index.ts";
import type { CheckoutDeps } from "./checkout-deps.ts";
import { isPayableTenant } from "./payable-tenant.ts";

/** Why a notice cannot be paid, in the citizen's words, told only to someone who knows the debtor. */
const REASONS: Record<string, string> = {
  NOTICE_UNKNOWN: "Non troviamo questo avviso: controlla il codice avviso e il codice fiscale dell'ente.",
  NOTICE_PAID: "Questo avviso risulta già pagato.",
  NOTICE_CANCELLED: "Questo avviso è stato annullato dall'ente.",
  NOTICE_EXPIRED: "Questo avviso è scaduto e non può più essere pagato.",
  NOTICE_IN_PROGRESS: "È già in corso un pagamento di questo avviso: riprova tra qualche minuto.",
};

/**
 * What everybody else reads for a notice that cannot be paid, whatever the reason: unknown, paid,
 * cancelled, expired and in payment look the same, so notice numbers cannot be probed for who
 * owes what (issue 13 item 1).
 */
export const UNIFORM_REASON =
  "Non è possibile pagare questo avviso: controlla il codice avviso e il codice fiscale dell'ente. Se l'avviso è già stato pagato, annullato o scaduto, o se un pagamento è in corso, l'ente può darti informazioni; per vedere qui il motivo indica anche il codice fiscale del debitore.";

export type NoticeLookup =
  { found: true; tenant: Tenant; notice: PayableNotice; debtorKnown: boolean } | { found: false; reason: string };

export interface NoticeLookupInput {
  nav: string;
  creditorFiscalCode: string;
  /** The debtor's fiscal code as the visitor typed it (optional). */
  debtorFiscalCode?: string;
  /** The fiscal code SPID certified for the visitor, when logged in. */
  citizenFiscalCode?: string;
  /**
   * The visitor came through the council's signed link for this very notice: the reason a notice
   * cannot be paid is told (the council chose to send it), though the debtor is still not known.
   */
  signedLink?: boolean;
}

/**
 * "Paga un avviso": the live amount of a notice, through the same rules the Nodo's verify gets.
 * `debtorKnown` says whether the visitor showed they know the debtor (typed the debtor's fiscal
 * code, or is the debtor logged in): only then is the reason for a refusal told, and the notice
 * PDF (which names the debtor) offered.
 */
export async function findPayableNotice(
  deps: Pick<CheckoutDeps, "db" | "config" | "amountRules">,
  input: NoticeLookupInput,
): Promise<NoticeLookup> {
  const tenant = await findTenantByFiscalCode(deps.db, input.creditorFiscalCode);
  if (!tenant || !isPayableTenant(tenant, deps.config.NODE_ENV === "production"))
    return { found: false, reason: UNIFORM_REASON };
  const claimed = [input.debtorFiscalCode, input.citizenFiscalCode].filter((c): c is string => !!c?.trim());
  const knowsDebtor = async () => {
    for (const code of claimed) if (await isNoticeOfDebtor(deps.db, tenant.id, input.nav, code)) return true;
    return false;
  };
  try {
    const notice = await verifyPaymentNotice(deps.db, deps.amountRules, tenant, input.nav);
    return { found: true, tenant, notice, debtorKnown: await knowsDebtor() };
  } catch (err) {
    if (!(err instanceof AppError) || !REASONS[err.code]) throw err;
    const tell = input.signedLink || (await knowsDebtor());
    return { found: false, reason: tell ? REASONS[err.code]! : UNIFORM_REASON };
  }
}
