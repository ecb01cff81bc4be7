import type { Database } from "../platform/db/database.ts";
import { AppError } from "../platform/errors.ts";
import { CREDIT_STATUSES, type CreditStatus } from "./match-treasury-credits.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SHOWN_CREDITS = 500;

export interface TreasuryImportView {
  id: string;
  fileName: string;
  /** Detected layout and version, e.g. "OPI 1.6.1+", "CSV", "XLS". */
  format: string;
  source: string;
  createdBy: string | null;
  importedAt: Date;
  /** Credits read from the file (stored now, or held already from an earlier journal). */
  creditsRead: number;
  duplicates: number;
  rowErrors: Array<{ row: number; reason: string }>;
  /** The file's credits by their match as it stands now (a flow arriving later changes it). */
  byStatus: Record<CreditStatus, number>;
  matched: number;
  unmatched: number;
  credits: Array<{
    id: string;
    valueDate: Date;
    amountCents: number;
    description: string;
    flowId: string | null;
    status: string;
  }>;
}

/**
 * What one treasury journal import read and how its credits stand: format detected, credits
 * read, matched and not, rows refused with the reason, and the credits themselves (the first
 * 500, by value date).
 * @throws AppError NOT_FOUND for an import the council does not hold
 */
export async function treasuryImportView(
  db: Database,
  tenantId: string,
  importId: string,
): Promise<TreasuryImportView> {
  if (!UUID.test(importId)) throw new AppError("NOT_FOUND", "Giornale di cassa non trovato", 404);
  return db.withTenant(tenantId, async (tx) => {
    const record = await tx.treasuryImport.findFirst({ where: { tenantId, id: importId } });
    if (!record) throw new AppError("NOT_FOUND", "Giornale di cassa non trovato", 404);
    const groups = await tx.treasuryCredit.groupBy({ by: ["status"], where: { tenantId, importId }, _count: true });
    const byStatus = Object.fromEntries(CREDIT_STATUSES.map((s) => [s, 0])) as Record<CreditStatus, number>;
    for (const g of groups) if (g.status in byStatus) byStatus[g.status as CreditStatus] = g._count;
    const credits = await tx.treasuryCredit.findMany({
      where: { tenantId, importId },
      select: { id: true, valueDate: true, amountCents: true, description: true, flowId: true, status: true },
      orderBy: [{ valueDate: "asc" }, { id: "asc" }],
      take: SHOWN_CREDITS,
    });
    const stored = Object.values(byStatus).reduce((a, b) => a + b, 0);
    return {
      id: record.id,
      fileName: record.fileName,
      format: record.format,
      source: record.source,
      createdBy: record.createdBy,
      importedAt: record.importedAt,
      creditsRead: record.creditsCount,
      duplicates: record.duplicates,
      rowErrors: record.rowErrors as TreasuryImportView["rowErrors"],
      byStatus,
      matched: byStatus.MATCHED,
      unmatched: stored - byStatus.MATCHED,
      credits,
    };
  });
}

/** The council's latest journal imports, newest first. */
export async function listTreasuryImports(db: Database, tenantId: string, limit = 30) {
  return db.withTenant(tenantId, (tx) =>
    tx.treasuryImport.findMany({
      where: { tenantId },
      orderBy: { importedAt: "desc" },
      take: limit,
      select: {
        id: true,
        fileName: true,
        format: true,
        source: true,
        creditsCount: true,
        duplicates: true,
        importedAt: true,
      },
    }),
  );
}
