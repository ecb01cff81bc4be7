import type { Database } from "../platform/db/database.ts";
import { AppError } from "../platform/errors.ts";
import type { ImportFile } from "../generated/prisma/client.ts";

export interface ImportStatusView {
  file: ImportFile;
  /** Source rows with a committed outcome (the progress bar's numerator). */
  processed: number;
  finished: boolean;
  /** Percent done for the progress bar, when the file's size in rows is known. */
  percent: number | null;
}

/** An import and how far it got. */
export async function getImport(db: Database, tenantId: string, importId: string): Promise<ImportStatusView> {
  const file = await db.withTenant(tenantId, (tx) =>
    tx.importFile.findUnique({ where: { tenantId_id: { tenantId, id: importId } } }),
  );
  if (!file) throw new AppError("NOT_FOUND", "Import non trovato", 404);
  const finished = file.status === "DONE" || file.status === "FAILED";
  // Data rows are the file's lines less the header (a quoted line break makes this an estimate).
  const total = file.lineCount ? Math.max(1, file.lineCount - 1) : null;
  const done = Math.max(0, file.checkpointRow - 1);
  const percent = finished ? 100 : total ? Math.min(99, Math.floor((done / total) * 100)) : null;
  return { file, processed: file.accepted + file.rejected, finished, percent };
}

/** The council's latest imports, newest first. */
export async function listImports(db: Database, tenantId: string, take = 50): Promise<ImportFile[]> {
  return db.withTenant(tenantId, (tx) =>
    tx.importFile.findMany({ where: { tenantId }, orderBy: { createdAt: "desc" }, take }),
  );
}
