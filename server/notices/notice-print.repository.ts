import type { Tx } from "../platform/db/database.ts";
import type { NoticePosition, PrintableNoticeTenant } from "./notice.schema.ts";
import { dayAsDate, romeDayOf } from "../platform/rome-day.ts";

/** Positions a notice can be printed for: published and not yet fully paid. */
const PRINTABLE_STATUSES = ["VALID", "PARTIALLY_PAID"] as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type SkipReason = "NOT_FOUND" | "NOT_PRINTABLE" | "NOTHING_TO_PAY";

export type NoticeSource =
  { ok: true; position: NoticePosition } | { ok: false; positionId: string; reason: SkipReason };

/**
 * The "info" line of the creditor block from the contacts the council's admin set (settings
 * page), cut to the column's 200 characters; null when none is set.
 */
function contactsLine(p: { address: string | null; phone: string | null; email: string | null; pec: string | null }) {
  const parts = [p.address, p.phone && `tel. ${p.phone}`, p.email, p.pec && `PEC ${p.pec}`].filter(Boolean);
  return parts.length ? parts.join(" - ").slice(0, 200) : null;
}

/**
 * The creditor's data printed on notices, with the holder of its current postal account. The
 * council's own logo and contacts (council_profiles) take the place of the registry's when set.
 */
export async function loadPrintableNoticeTenant(
  tx: Tx,
  tenantId: string,
  now = new Date(),
): Promise<PrintableNoticeTenant | null> {
  const tenant = await tx.tenant.findUnique({ where: { id: tenantId } });
  if (!tenant) return null;
  const postal = tenant.postalAccount
    ? await tx.creditorAccount.findFirst({
        where: {
          tenantId,
          isPostal: true,
          // By Rome's calendar day: the column is a date (see platform/rome-day.ts).
          effectiveFrom: { lte: dayAsDate(romeDayOf(now)) },
          OR: [{ effectiveTo: null }, { effectiveTo: { gte: dayAsDate(romeDayOf(now)) } }],
        },
        orderBy: { effectiveFrom: "desc" },
        select: { holder: true },
      })
    : null;
  const profile = await tx.councilProfile.findUnique({
    where: { tenantId },
    select: {
      logo: true,
      logoContentType: true,
      primaryColor: true,
      address: true,
      phone: true,
      email: true,
      pec: true,
    },
  });
  const logoUrl =
    profile?.logo && profile.logoContentType
      ? `data:${profile.logoContentType};base64,${Buffer.from(profile.logo).toString("base64")}`
      : undefined;
  return {
    id: tenant.id,
    fiscalCode: tenant.fiscalCode,
    ipaCode: tenant.ipaCode,
    name: tenant.name,
    sector: tenant.sector,
    info: (profile && contactsLine(profile)) ?? tenant.info,
    cbill: tenant.cbill,
    postalAccount: tenant.postalAccount,
    postalHolder: postal?.holder ?? null,
    branding: {
      ...(tenant.branding as Record<string, unknown>),
      ...(logoUrl ? { logoUrl } : {}),
      ...(profile?.primaryColor ? { primaryColor: profile.primaryColor } : {}),
    },
  };
}

/**
 * Loads positions with their unpaid options, one query for the whole list, and says for each
 * id why it cannot be printed when it cannot. Results follow the order of `positionIds`.
 */
export async function loadNoticeSources(tx: Tx, tenantId: string, positionIds: string[]): Promise<NoticeSource[]> {
  // An id that is not a uuid cannot exist; PostgreSQL would reject the whole query for it.
  const valid = positionIds.filter((id) => UUID.test(id));
  const rows = await tx.debtPosition.findMany({
    where: { tenantId, id: { in: valid } },
    select: {
      id: true,
      iupd: true,
      status: true,
      subject: true,
      debtorFiscalCode: true,
      debtorName: true,
      debtorAddress: true,
      debtorCity: true,
      debtorPostalCode: true,
      debtorProvince: true,
      options: {
        where: { status: "UNPAID" },
        orderBy: [{ kind: "asc" }, { installmentNumber: "asc" }],
        select: {
          kind: true,
          nav: true,
          iuv: true,
          amountCents: true,
          dueDate: true,
          installmentNumber: true,
          installmentCount: true,
        },
      },
    },
  });
  const byId = new Map(rows.map((row) => [row.id, row]));
  return positionIds.map((id): NoticeSource => {
    const row = byId.get(id);
    if (!row) return { ok: false, positionId: id, reason: "NOT_FOUND" };
    if (!(PRINTABLE_STATUSES as readonly string[]).includes(row.status))
      return { ok: false, positionId: id, reason: "NOT_PRINTABLE" };
    if (row.options.length === 0) return { ok: false, positionId: id, reason: "NOTHING_TO_PAY" };
    const { status: _status, ...position } = row;
    return { ok: true, position };
  });
}

/** What a batch prints: given positions, or every printable position (optionally of one payment type). */
export type NoticeSelection = { positionIds: string[] } | { paymentTypeCode?: string };

/**
 * Pages of position ids for a batch, by keyset on the id (uuid v7, so creation order) rather
 * than OFFSET: a mass mailing of hundreds of thousands of positions reads each page in the same
 * time, and positions created meanwhile do not shift the pages already printed.
 */
export async function nextPositionIds(
  tx: Tx,
  tenantId: string,
  selection: NoticeSelection,
  afterId: string | null,
  limit: number,
): Promise<string[]> {
  if ("positionIds" in selection) throw new Error("explicit id lists are paged by the caller");
  const rows = await tx.debtPosition.findMany({
    where: {
      tenantId,
      status: { in: [...PRINTABLE_STATUSES] },
      ...(selection.paymentTypeCode ? { paymentType: { code: selection.paymentTypeCode } } : {}),
      ...(afterId ? { id: { gt: afterId } } : {}),
    },
    orderBy: { id: "asc" },
    take: limit,
    select: { id: true },
  });
  return rows.map((r) => r.id);
}
