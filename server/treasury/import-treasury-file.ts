import { createHash } from "node:crypto";
import type { Database } from "../platform/db/database.ts";
import { AppError } from "../platform/errors.ts";
import { classifyPayments } from "../reconciliation/index.ts";
import { matchTreasuryCredits, type CreditStatus } from "./match-treasury-credits.ts";
import { readTreasuryFile } from "./read-treasury-file.ts";
import { TreasuryFormatError, type TreasuryDocument } from "./treasury-document.ts";

export interface TreasuryImportSummary {
  importId: string;
  format: string;
  credits: number;
  /** Credits already imported from an earlier (overlapping) file. */
  duplicates: number;
  rowErrors: TreasuryDocument["rowErrors"];
  matching: Record<CreditStatus, number>;
}

/**
 * Imports a treasury journal for a council: reads it in whatever layout it is (the whole file
 * refused with the reason when unreadable; bad rows listed), stores each credit once (a credit
 * in two overlapping journals is one), and matches credits to reporting flows.
 * @throws AppError TREASURY_FILE_INVALID with the reason the file was refused
 */
export async function importTreasuryFile(
  db: Database,
  tenantId: string,
  input: { fileName: string; bytes: Buffer },
): Promise<TreasuryImportSummary> {
  let doc: TreasuryDocument;
  try {
    doc = readTreasuryFile(input.bytes);
  } catch (err) {
    if (err instanceof TreasuryFormatError)
      throw new AppError("TREASURY_FILE_INVALID", `${input.fileName}: ${err.reason}`, 422, { reason: err.reason });
    throw err;
  }
  // Identical rows inside one file are distinct movements: the occurrence number keeps them apart.
  const seen = new Map<string, number>();
  const credits = doc.credits.map((c) => {
    const base = `${c.valueDate}|${c.amountCents}|${c.bankReference ?? ""}|${c.description}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return { ...c, dedupKey: createHash("sha256").update(`${base}|#${n}`).digest("hex") };
  });
  return db.withTenant(
    tenantId,
    async (tx) => {
      const record = await tx.treasuryImport.create({
        data: {
          tenantId,
          fileName: input.fileName.slice(0, 255),
          format: doc.format,
          creditsCount: credits.length,
          rowErrors: doc.rowErrors,
        },
        select: { id: true },
      });
      const { count } = await tx.treasuryCredit.createMany({
        data: credits.map((c) => ({
          tenantId,
          importId: record.id,
          dedupKey: c.dedupKey,
          valueDate: new Date(`${c.valueDate}T00:00:00Z`),
          amountCents: c.amountCents,
          description: c.description,
          flowId: c.flowId,
          status: c.flowId ? "FLOW_NOT_FOUND" : "NO_PAGOPA_REFERENCE",
        })),
        skipDuplicates: true,
      });
      const matching = await matchTreasuryCredits(tx, tenantId);
      await classifyPayments(tx, tenantId, {
        flowIds: [...new Set(credits.flatMap((c) => (c.flowId ? [c.flowId] : [])))],
      });
      return {
        importId: record.id,
        format: doc.format,
        credits: count,
        duplicates: credits.length - count,
        rowErrors: doc.rowErrors,
        matching,
      };
    },
    { timeout: 60_000 },
  );
}

/** Matches again what is still open (run after new flows arrive). */
export async function rematchTreasuryCredits(db: Database, tenantId: string) {
  return db.withTenant(
    tenantId,
    async (tx) => {
      const open = await tx.treasuryCredit.findMany({
        where: { tenantId, flowId: { not: null }, status: { not: "MATCHED" } },
        select: { flowId: true },
        distinct: ["flowId"],
      });
      const matching = await matchTreasuryCredits(tx, tenantId);
      await classifyPayments(tx, tenantId, { flowIds: open.map((o) => o.flowId!) });
      return matching;
    },
    { timeout: 60_000 },
  );
}
