import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";
import type { Actor } from "../audit/index.ts";
import type { AppConfig } from "../config/env.ts";
import { zipLimits } from "../imports/read-records.ts";
import { inspectZip, openZipEntry } from "../imports/zip.ts";
import type { Database } from "../platform/db/database.ts";
import { AppError } from "../platform/errors.ts";
import { importTreasuryFile, type TreasuryImportSource, type TreasuryImportSummary } from "./import-treasury-file.ts";

/** The layouts a journal comes in: OPI XML, CSV (or its .txt export), XLS and XLSX statements. */
const JOURNAL_NAME = /\.(xml|csv|txt|xls|xlsx)$/i;
const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/**
 * The back-office's and the API's door for a treasury journal: reads the uploaded stream up to
 * TREASURY_MAX_BYTES (413 past it), refuses a name that is no journal and an XLSX that would
 * inflate past ten times the limit or at a bomb's ratio (its entries are inflated once here,
 * counting the real bytes, before the spreadsheet reader sees them), then imports it as the
 * drop folder does (same reading, same deduplication by content, audited).
 * @throws AppError IMPORT_TOO_LARGE (413), TREASURY_FILE_INVALID (422)
 */
export async function receiveTreasuryFile(
  deps: { db: Database; config: Pick<AppConfig, "TREASURY_MAX_BYTES"> },
  tenantId: string,
  file: { name: string; content: Readable; source: TreasuryImportSource },
  actor: Actor,
  requestId?: string,
): Promise<TreasuryImportSummary> {
  const max = deps.config.TREASURY_MAX_BYTES;
  const name = path.basename(file.name.replace(/\\/g, "/")).slice(0, 255);
  if (!JOURNAL_NAME.test(name)) {
    file.content.resume();
    throw new AppError(
      "TREASURY_FILE_INVALID",
      "Tipo di file non ammesso: carica il giornale di cassa in XML (OPI), CSV, XLS o XLSX",
      422,
      { reason: "type" },
    );
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of file.content) {
    size += (chunk as Buffer).length;
    if (size > max) {
      file.content.resume();
      throw new AppError("IMPORT_TOO_LARGE", `Il file supera ${Math.floor(max / 1024 / 1024)} MB`, 413);
    }
    chunks.push(chunk as Buffer);
  }
  const bytes = Buffer.concat(chunks);
  if (bytes.length === 0) throw new AppError("TREASURY_FILE_INVALID", "Il file è vuoto", 422, { reason: "empty" });
  if (bytes.subarray(0, 4).equals(ZIP_MAGIC)) await checkZip(bytes, max);
  return importTreasuryFile(deps.db, tenantId, { fileName: name, bytes, source: file.source, actor, requestId });
}

async function checkZip(bytes: Buffer, max: number): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), "pontepa-treasury-"));
  const file = path.join(dir, "journal.xlsx");
  try {
    await writeFile(file, bytes);
    const limits = zipLimits(max);
    let inflated = 0;
    for (const entry of await inspectZip(file, limits)) {
      if (entry.name.endsWith("/")) continue;
      for await (const chunk of await openZipEntry(file, entry.name, limits.maxUncompressedBytes - inflated))
        inflated += (chunk as Buffer).length;
    }
  } catch (err) {
    // The zip guards speak of imports; a corrupt archive (yauzl's own error) is refused alike.
    const message = err instanceof AppError ? err.message : `Archivio non valido: ${(err as Error).message}`;
    throw new AppError("TREASURY_FILE_INVALID", message, 422, { reason: "zip" });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
