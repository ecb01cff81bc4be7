import { z } from "zod";
import { Prisma } from "../../generated/prisma/client.ts";
import type { Tx } from "../../platform/db/database.ts";

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Data non valida (aaaa-mm-gg)");

/** What a mass printing selects: positions of an import, of a payment type, due in a range (Rome days). */
export const printSelectionSchema = z
  .object({
    importId: z.uuid().optional(),
    paymentTypeCode: z.string().trim().min(1).max(35).optional(),
    dueFrom: day.optional(),
    dueTo: day.optional(),
  })
  .refine((s) => !s.dueFrom || !s.dueTo || s.dueFrom <= s.dueTo, {
    message: "La data iniziale è successiva a quella finale",
    path: ["dueTo"],
  });
export type PrintSelection = z.infer<typeof printSelectionSchema>;

/**
 * The selection as SQL conditions on `p` (debt_positions): printable positions (published, not
 * fully paid) of the import's accepted rows, of the payment type, with an unpaid option due in
 * the range of Rome calendar days.
 */
function selectionWhere(tenantId: string, s: PrintSelection): Prisma.Sql {
  const parts: Prisma.Sql[] = [
    Prisma.sql`p.tenant_id = ${tenantId}::uuid`,
    Prisma.sql`p.status::text IN ('VALID', 'PARTIALLY_PAID')`,
  ];
  if (s.importId)
    parts.push(Prisma.sql`p.id IN (SELECT r.position_id FROM import_rows r
      WHERE r.tenant_id = ${tenantId}::uuid AND r.import_id = ${s.importId}::uuid
        AND r.outcome::text = 'ACCEPTED' AND r.position_id IS NOT NULL)`);
  if (s.paymentTypeCode)
    parts.push(Prisma.sql`p.payment_type_id IN (SELECT t.id FROM payment_types t
      WHERE t.tenant_id = ${tenantId}::uuid AND t.code = ${s.paymentTypeCode})`);
  if (s.dueFrom || s.dueTo)
    parts.push(Prisma.sql`EXISTS (SELECT 1 FROM payment_options o
      WHERE o.tenant_id = p.tenant_id AND o.position_id = p.id AND o.status::text = 'UNPAID'
        ${s.dueFrom ? Prisma.sql`AND (o.due_date AT TIME ZONE 'Europe/Rome')::date >= ${s.dueFrom}::date` : Prisma.empty}
        ${s.dueTo ? Prisma.sql`AND (o.due_date AT TIME ZONE 'Europe/Rome')::date <= ${s.dueTo}::date` : Prisma.empty})`);
  return Prisma.join(parts, " AND ");
}

/** How many positions the selection holds now. */
export async function countSelected(tx: Tx, tenantId: string, s: PrintSelection): Promise<number> {
  const rows = await tx.$queryRaw<Array<{ n: bigint }>>(
    Prisma.sql`SELECT count(*) AS n FROM debt_positions p WHERE ${selectionWhere(tenantId, s)}`,
  );
  return Number(rows[0]!.n);
}

/**
 * The next page of selected position ids after `afterId`, in id order (uuid v7: creation order,
 * so an import's positions come in the order of its file). A keyset, so a resumed run continues
 * exactly after the last position it committed.
 */
export async function nextSelectedIds(
  tx: Tx,
  tenantId: string,
  s: PrintSelection,
  afterId: string | null,
  limit: number,
): Promise<string[]> {
  const rows = await tx.$queryRaw<Array<{ id: string }>>(
    Prisma.sql`SELECT p.id::text AS id FROM debt_positions p
      WHERE ${selectionWhere(tenantId, s)} ${afterId ? Prisma.sql`AND p.id > ${afterId}::uuid` : Prisma.empty}
      ORDER BY p.id LIMIT ${limit}`,
  );
  return rows.map((r) => r.id);
}

/** The debtor's postal data of printed positions, for the printer's manifest. */
export async function loadDebtorAddresses(tx: Tx, tenantId: string, ids: string[]) {
  const rows = await tx.debtPosition.findMany({
    where: { tenantId, id: { in: ids } },
    select: {
      id: true,
      debtorName: true,
      debtorAddress: true,
      debtorPostalCode: true,
      debtorCity: true,
      debtorProvince: true,
    },
  });
  return new Map(rows.map((r) => [r.id, r]));
}

/**
 * Moves the checkpoint past one part, only if nobody moved it meanwhile (a stalled job handed
 * to a second worker while the first still runs): the loser's transaction rolls back.
 */
export async function advancePrintCheckpoint(
  tx: Tx,
  tenantId: string,
  runId: string,
  part: number,
  lastPositionId: string,
  counts: { printed: number; skipped: number; pages: number },
): Promise<boolean> {
  const moved = await tx.printRun.updateMany({
    where: { tenantId, id: runId, checkpointPart: part - 1, status: "RUNNING" },
    data: {
      checkpointPart: part,
      lastPositionId,
      printed: { increment: counts.printed },
      skipped: { increment: counts.skipped },
      pageCount: { increment: counts.pages },
    },
  });
  return moved.count === 1;
}
