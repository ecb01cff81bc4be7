import { createHash, randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, open, rename, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { AppConfig } from "../config/env.ts";
import type { Database } from "../platform/db/database.ts";
import { AppError } from "../platform/errors.ts";
import type { JobRegistry } from "../platform/queue/registry.ts";
import { recordAudit, type Actor } from "../audit/index.ts";
import type { ImportFile } from "../generated/prisma/client.ts";
import { detectFormat } from "./read-records.ts";
import { parseMypayFileName } from "./formats/mypay.ts";
import { processImportJob } from "./process-import.job.ts";

export type ImportSource = "BACKOFFICE" | "API" | "DROP";

export interface StartImportDeps {
  db: Database;
  config: Pick<AppConfig, "IMPORT_STORAGE_DIR" | "IMPORT_MAX_BYTES">;
  jobs: Pick<JobRegistry, "enqueue">;
}

export interface StartedImport {
  import: ImportFile;
  /** The same bytes were imported before: nothing new happens, the earlier import is returned. */
  duplicate: boolean;
}

/** A file name safe to keep on disk and show back: no folders, no control characters. */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  const clean = base.replace(/[^\w.\- ]/g, "_").slice(-200);
  return clean && !/^\.+$/.test(clean) ? clean : "file";
}

/**
 * Receives a debt file from any door (back-office upload, API, drop folder): stores it under
 * IMPORT_STORAGE_DIR while hashing it (refusing it past IMPORT_MAX_BYTES), recognises its
 * layout, and queues the import. A file with the same sha256 as an earlier import of this
 * council is not imported again: the earlier import is returned, so a council that uploads
 * twice, or a drop folder scanned twice, changes nothing the second time.
 * @throws AppError IMPORT_TOO_LARGE (413), IMPORT_FILE_INVALID (422)
 */
export async function startImport(
  deps: StartImportDeps,
  tenant: { id: string; ipaCode: string },
  file: { name: string; content: Readable; source: ImportSource },
  actor: Actor,
  requestId?: string,
): Promise<StartedImport> {
  const fileName = safeFileName(file.name);
  const dir = resolve(deps.config.IMPORT_STORAGE_DIR, tenant.id);
  await mkdir(dir, { recursive: true });
  const id = randomUUID();
  const temp = join(dir, `.upload-${id}`);
  const hash = createHash("sha256");
  let size = 0;
  const max = deps.config.IMPORT_MAX_BYTES;
  try {
    await pipeline(
      file.content,
      new Transform({
        transform(chunk: Buffer, _enc, done) {
          size += chunk.length;
          if (size > max)
            return done(new AppError("IMPORT_TOO_LARGE", `Il file supera ${Math.floor(max / 1024 / 1024)} MB`, 413));
          hash.update(chunk);
          done(null, chunk);
        },
      }),
      createWriteStream(temp, { flags: "wx" }),
    );
    if (size === 0) throw new AppError("IMPORT_FILE_INVALID", "Il file è vuoto", 422);
    const head = Buffer.alloc(512);
    const fh = await open(temp, "r");
    const { bytesRead } = await fh.read(head, 0, 512, 0).finally(() => fh.close());
    const format = detectFormat(fileName, head.subarray(0, bytesRead));
    if (format === "MYPAY" && parseMypayFileName(fileName)!.ipa.toLowerCase() !== tenant.ipaCode.toLowerCase())
      throw new AppError(
        "IMPORT_FILE_INVALID",
        `Il file MyPay è intestato a un altro ente (${parseMypayFileName(fileName)!.ipa})`,
        422,
      );
    const contentHash = hash.digest("hex");
    const storagePath = join(dir, `${id}-${fileName}`);
    const result = await deps.db.withTenant(tenant.id, async (tx) => {
      const earlier = await tx.importFile.findUnique({
        where: { tenantId_contentHash: { tenantId: tenant.id, contentHash } },
      });
      if (earlier) return { import: earlier, duplicate: true };
      const created = await tx.importFile.create({
        data: {
          id,
          tenantId: tenant.id,
          format,
          source: file.source,
          fileName,
          contentHash,
          sizeBytes: size,
          storagePath,
          createdBy: actor.id,
        },
      });
      await recordAudit(tx, {
        tenantId: tenant.id,
        actor,
        action: "import.upload",
        entityType: "ImportFile",
        entityId: id,
        after: { fileName, format, source: file.source, sizeBytes: size, contentHash },
        requestId,
      });
      await rename(temp, storagePath);
      return { import: created, duplicate: false };
    });
    if (!result.duplicate) await deps.jobs.enqueue(processImportJob, { tenantId: tenant.id, importId: id });
    return result;
  } finally {
    await rm(temp, { force: true });
  }
}
