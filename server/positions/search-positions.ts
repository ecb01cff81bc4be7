import { z } from "zod";
import type { Database } from "../platform/db/database.ts";
import type { Prisma } from "../generated/prisma/client.ts";

const blank = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const opt = <T extends z.ZodType>(schema: T) => z.preprocess(blank, schema.optional());

/** The operators' search form; every field optional, empty strings ignored. */
export const positionSearchSchema = z.object({
  // Codes are typed as printed ("3010 0000 0000 0013 56"): spaces do not count.
  nav: opt(
    z
      .string()
      .transform((s) => s.replace(/\s+/g, ""))
      .pipe(z.string().regex(/^\d{18}$/, "il codice avviso ha 18 cifre")),
  ),
  iuv: opt(
    z
      .string()
      .transform((s) => s.replace(/\s+/g, ""))
      .pipe(z.string().max(35)),
  ),
  fiscalCode: opt(z.string().trim().toUpperCase().max(16)),
  name: opt(z.string().trim().min(2, "almeno 2 lettere").max(140)),
  status: opt(z.enum(["DRAFT", "VALID", "PARTIALLY_PAID", "PAID", "EXPIRED", "CANCELLED", "REPORTED"])),
  paymentTypeCode: opt(z.string().trim().max(35)),
  /** Created from / to (dates, Europe/Rome days are close enough for a search form). */
  from: opt(z.coerce.date()),
  to: opt(z.coerce.date()),
  page: z.preprocess(blank, z.coerce.number().int().min(1).max(10_000).default(1)),
});
export type PositionSearch = z.input<typeof positionSearchSchema>;

export interface PositionRow {
  id: string;
  iupd: string;
  subject: string;
  status: string;
  debtorFiscalCode: string;
  debtorName: string;
  paymentTypeName: string | null;
  amountCents: number;
  navs: string[];
  dueDate: Date | null;
  createdAt: Date;
}

export const POSITIONS_PAGE_SIZE = 20;
const DAY_MS = 86_400_000;

/**
 * The counter's search over one council's positions, newest first, 20 per page, with the total
 * for paging. Runs in the tenant's RLS scope: another council's NAV simply finds nothing.
 */
export async function searchPositions(
  db: Database,
  tenantId: string,
  query: PositionSearch,
): Promise<{ rows: PositionRow[]; total: number; page: number; pages: number }> {
  const q = positionSearchSchema.parse(query);
  const where: Prisma.DebtPositionWhereInput = {
    tenantId,
    ...(q.fiscalCode ? { debtorFiscalCode: q.fiscalCode } : {}),
    ...(q.name ? { debtorName: { contains: q.name, mode: "insensitive" } } : {}),
    ...(q.status ? { status: q.status } : {}),
    ...(q.paymentTypeCode ? { paymentType: { code: q.paymentTypeCode } } : {}),
    ...(q.from || q.to
      ? {
          createdAt: { ...(q.from ? { gte: q.from } : {}), ...(q.to ? { lt: new Date(q.to.getTime() + DAY_MS) } : {}) },
        }
      : {}),
    ...(q.nav || q.iuv
      ? { options: { some: { ...(q.nav ? { nav: q.nav } : {}), ...(q.iuv ? { iuv: q.iuv } : {}) } } }
      : {}),
  };
  return db.withTenant(tenantId, async (tx) => {
    const [total, positions] = await Promise.all([
      tx.debtPosition.count({ where }),
      tx.debtPosition.findMany({
        where,
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        skip: (q.page - 1) * POSITIONS_PAGE_SIZE,
        take: POSITIONS_PAGE_SIZE,
        include: {
          paymentType: { select: { name: true } },
          options: {
            select: { nav: true, kind: true, amountCents: true },
            orderBy: [{ kind: "asc" }, { installmentNumber: "asc" }],
          },
        },
      }),
    ]);
    const rows = positions.map((p) => {
      const single = p.options.find((o) => o.kind === "SINGLE");
      const amountCents = single ? single.amountCents : p.options.reduce((s, o) => s + o.amountCents, 0);
      return {
        id: p.id,
        iupd: p.iupd,
        subject: p.subject,
        status: p.status,
        debtorFiscalCode: p.debtorFiscalCode,
        debtorName: p.debtorName,
        paymentTypeName: p.paymentType?.name ?? null,
        amountCents,
        navs: p.options.map((o) => o.nav),
        dueDate: p.dueDate,
        createdAt: p.createdAt,
      };
    });
    return { rows, total, page: q.page, pages: Math.max(1, Math.ceil(total / POSITIONS_PAGE_SIZE)) };
  });
}
