import type { AppConfig } from "../config/env.ts";
import type { Tenant } from "../generated/prisma/client.ts";
import type { Database } from "../platform/db/database.ts";
import { AppError } from "../platform/errors.ts";
import { findPosition } from "../positions/index.ts";
import { payLinkKey, signPayLink } from "./pay-link.ts";

export const PAY_LINK_DEFAULT_DAYS = 30;
export const PAY_LINK_MAX_DAYS = 365;

export interface IssuedPayLink {
  url: string;
  nav: string;
  expiresAt: Date;
}

/**
 * A signed "pay this notice" link for one option of a council's position: the NAV given, or the
 * single payment, or else the first unpaid installment. Only an open notice gets a link; what
 * happens to it later (paid, cancelled) the citizen page tells when the link is opened.
 * @throws AppError NOT_FOUND (position or NAV not the council's), NOTICE_NOTHING_TO_PAY (409)
 */
export async function issuePayLink(
  deps: { db: Database; config: Pick<AppConfig, "PAY_LINK_SECRET" | "STAFF_SESSION_SECRET" | "PUBLIC_BASE_URL"> },
  tenant: Pick<Tenant, "id" | "ipaCode">,
  positionId: string,
  input: { nav?: string; expiresInDays?: number },
  now = new Date(),
): Promise<IssuedPayLink> {
  const position = await findPosition(deps.db, tenant.id, { id: positionId });
  const unpaid = position.options.filter((o) => o.status === "UNPAID");
  const option = input.nav
    ? position.options.find((o) => o.nav === input.nav)
    : (unpaid.find((o) => o.kind === "SINGLE") ?? unpaid[0]);
  if (input.nav && !option) throw new AppError("NOT_FOUND", "Avviso non trovato in questa posizione", 404);
  if (!option || option.status !== "UNPAID" || !["VALID", "PARTIALLY_PAID"].includes(position.status))
    throw new AppError(
      "NOTICE_NOTHING_TO_PAY",
      "Nessun avviso da pagare: la posizione è pagata, annullata o scaduta",
      409,
    );
  return payLinkFor(deps.config, tenant.ipaCode, option.nav, input.expiresInDays, now);
}

/** The link of one notice, valid `days` days from `now` (for a page that shows it beside the notice). */
export function payLinkFor(
  config: Pick<AppConfig, "PAY_LINK_SECRET" | "STAFF_SESSION_SECRET" | "PUBLIC_BASE_URL">,
  ipa: string,
  nav: string,
  days = PAY_LINK_DEFAULT_DAYS,
  now = new Date(),
): IssuedPayLink {
  const valid = Math.min(days, PAY_LINK_MAX_DAYS);
  // Whole seconds: the token carries the expiry in seconds, and the answer says exactly that.
  const expiresAt = new Date(Math.floor((now.getTime() + valid * 86_400_000) / 1000) * 1000);
  const token = signPayLink(payLinkKey(config), { ipa, nav, expiresAt });
  return { url: new URL(`/paga/${token}`, config.PUBLIC_BASE_URL).toString(), nav, expiresAt };
}
