import { NEW_BASE_OFFSET, parseNav, type Iuv, type Nav } from "../pagopa/index.ts";
import type { Tx } from "../platform/db/database.ts";
import { AppError } from "../platform/errors.ts";
import { allocateNoticeNumbers, type TenantNumbering } from "./allocate-notice-numbers.ts";

/**
 * The NAV/IUV of every option of a new position: the ones the council supplied (its own system
 * numbers its notices), checked, and the rest allocated from the tenant's counter. A supplied
 * NAV must carry the tenant's segregation code and a base below NEW_BASE_OFFSET: generated bases
 * are all at or above it, so a council's own numbers can never collide with one PontePA issues
 * later (the unique index still refuses a number used twice).
 * @throws AppError NAV_UNUSABLE (422), NAV_TAKEN (409)
 */
export async function planNoticeNumbers(
  tx: Tx,
  tenant: TenantNumbering,
  supplied: ReadonlyArray<string | undefined>,
  permutationSecret: string,
): Promise<Array<{ nav: Nav; iuv: Iuv }>> {
  const given = supplied.filter((n): n is string => Boolean(n));
  if (new Set(given).size !== given.length)
    throw new AppError("NAV_UNUSABLE", "Lo stesso numero avviso compare due volte", 422);
  for (const nav of given) {
    let parts;
    try {
      parts = parseNav(nav);
    } catch {
      throw new AppError("NAV_UNUSABLE", `Il numero avviso ${nav} non è valido (cifre di controllo)`, 422);
    }
    if (parts.segregationCode !== tenant.segregationCode)
      throw new AppError("NAV_UNUSABLE", `Il numero avviso ${nav} non ha il codice di segregazione dell'ente`, 422);
    if (BigInt(parts.iuvBase) >= NEW_BASE_OFFSET)
      throw new AppError(
        "NAV_UNUSABLE",
        `Il numero avviso ${nav} è nell'intervallo riservato alla numerazione di PontePA`,
        422,
      );
  }
  if (given.length) {
    const taken = await tx.paymentOption.findFirst({
      where: { tenantId: tenant.id, nav: { in: given } },
      select: { nav: true },
    });
    if (taken) throw new AppError("NAV_TAKEN", `Il numero avviso ${taken.nav} è già usato`, 409);
  }
  const missing = supplied.length - given.length;
  const allocated = missing ? await allocateNoticeNumbers(tx, tenant, missing, permutationSecret) : [];
  return supplied.map((nav) => (nav ? { nav: nav as Nav, iuv: parseNav(nav).iuv } : allocated.shift()!));
}
