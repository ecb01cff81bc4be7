import { createHash } from "node:crypto";
import { recordAudit, type Actor } from "../audit/index.ts";
import { Prisma } from "../generated/prisma/client.ts";
import type { Database } from "../platform/db/database.ts";
import { AppError } from "../platform/errors.ts";
import { classifyPayments } from "../reconciliation/index.ts";
import { matchTreasuryCredits, type CreditStatus } from "./match-treasury-credits.ts";
import { readTreasuryFile } from "./read-treasury-file.ts";
import { TreasuryFormatError, type TreasuryDocument } from "./treasury-document.ts";

export type TreasuryImportSource = "BACKOFFICE" | "API" | "DROP_FOLDER";

export interface TreasuryImportSummary {
  importId: string;
  /** The same file (by content) was imported before: nothing changed, importId is the earlier import. */
  duplicate: boolean;
  format: string;
  credits: number;
  /** Credits already imported from an earlier (overlapping) file. */
  duplicates: number;
  rowErrors: TreasuryDocument["rowErrors"];
  matching: Record<CreditStatus, number>;
}

const DROP_FOLDER: Actor = { type: "system", id: "treasury-drop-folder" };

/**
 * Imports a treasury journal for a council, whichever door it came through (back-office, API,
 * drop folder): reads it in whatever layout it is (the whole file refused with the reason when
 * unreadable; bad rows listed), stores each credit once (a credit in two overlapping journals is
 * one), matches credits to reporting flows; audited. The same file twice (its sha256) changes
 * nothing and answers with the earlier import.
 * @throws AppError TREASURY_FILE_INVALID with the reason the file was refused
 */
export async function importTreasuryFile(
  db: Database,
  tenantId: string,
  input: { fileName: string; bytes: Buffer; source?: TreasuryImportSource; actor?: Actor; requestId?: string },
): Promise<TreasuryImportSummary> {
  const contentHash = createHash("sha256").update(input.bytes).digest("hex");
  const earlier = await findByHash(db, tenantId, contentHash);
  if (earlier) return earlier;
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
  const source = input.source ?? "DROP_FOLDER";
  const actor = input.actor ?? DROP_FOLDER;
  const fileName = input.fileName.slice(0, 255);
  const importing = db.withTenant(
    tenantId,
    async (tx) => {
      const record = await tx.treasuryImport.create({
        data: {
          tenantId,
          fileName,
          format: doc.format,
          creditsCount: credits.length,
          rowErrors: doc.rowErrors,
          contentHash,
          source,
          createdBy: actor.type === "system" ? null : actor.id,
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
      if (count < credits.length)
        await tx.treasuryImport.update({ where: { id: record.id }, data: { duplicates: credits.length - count } });
      const matching = await matchTreasuryCredits(tx, tenantId);
      await classifyPayments(tx, tenantId, {
        flowIds: [...new Set(credits.flatMap((c) => (c.flowId ? [c.flowId] : [])))],
      });
      await recordAudit(tx, {
        tenantId,
        actor,
        action: "treasury.import",
        entityType: "TreasuryImport",
        entityId: record.id,
        after: {
          fileName,
          format: doc.format,
          source,
          contentHash,
          credits: count,
          duplicates: credits.length - count,
        },
        requestId: input.requestId,
      });
      return {
        importId: record.id,
        duplicate: false,
        format: doc.format,
        credits: count,
        duplicates: credits.length - count,
        rowErrors: doc.rowErrors,
        matching,
      };
    },
    { timeout: 60_000 },
  );
  try {
    return await importing;
  } catch (err) {
    // The same file sent twice at once: the second insert meets the first's content hash.
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") {
      const first = await findByHash(db, tenantId, contentHash);
      if (first) return first;
    }
    throw err;
  }
}

async function findByHash(db: Database, tenantId: string, contentHash: string): Promise<TreasuryImportSummary | null> {
  const earlier = await db.withTenant(tenantId, (tx) =>
    tx.treasuryImport.findFirst({ where: { tenantId, contentHash } }),
  );
  if (!earlier) return null;
  return {
    importId: earlier.id,
    duplicate: true,
    format: earlier.format,
    credits: 0,
    duplicates: earlier.creditsCount,
    rowErrors: earlier.rowErrors as TreasuryDocument["rowErrors"],
    matching: { MATCHED: 0, AMOUNT_MISMATCH: 0, FLOW_NOT_FOUND: 0, NO_PAGOPA_REFERENCE: 0 },
  };
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
