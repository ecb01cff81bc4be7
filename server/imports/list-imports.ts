import type { Database } from "../platform/db/database.ts";
import { AppError } from "../platform/errors.ts";
import type { ImportFile } from "../generated/prisma/client.ts";

export interface ImportStatusView {
  file: ImportFile;
  /** Source rows with a committed outcome (the progress bar's numerator). */
  processed: number;
  /** Rows the file has, when known (after the end); null while running. */
  finished: boolean;
}

/** An import and how far it got. */
export async function getImport(db: Database, tenantId: string, importId: string): Promise<ImportStatusView> {
  const file = await db.withTenant(tenantId, (tx) =>
    tx.importFile.findUnique({ where: { tenantId_id: { tenantId, id: importId } } }),
  );
  if (!file) throw new AppError("NOT_FOUND", "Import non trovato", 404);
  return {
    file,
    processed: file.accepted + file.rejected,
    finished: file.status === "DONE" || file.status === "FAILED",
  };
}

/** The council's latest imports, newest first. */
export async function listImports(db: Database, tenantId: string, take = 50): Promise<ImportFile[]> {
  return db.withTenant(tenantId, (tx) =>
    tx.importFile.findMany({ where: { tenantId }, orderBy: { createdAt: "desc" }, take }),
  );
}
