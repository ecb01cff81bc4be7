import { createReadStream } from "node:fs";
import { mkdir, readdir, rename, stat, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pipeline } from "node:stream/promises";
import { createWriteStream } from "node:fs";
import type { AppConfig } from "../config/env.ts";
import type { Database } from "../platform/db/database.ts";
import { AppError } from "../platform/errors.ts";
import type { JobRegistry } from "../platform/queue/registry.ts";
import type { Logger } from "../platform/observability/logger.ts";
import { findTenantByIpaCode } from "../tenancy/index.ts";
import { layoutsFor, outcomeFileName, outcomeStream } from "./outcome-file.ts";
import { startImport } from "./start-import.ts";

/** A file younger than this may still be being copied in: it waits for the next scan. */
const SETTLE_MS = 5_000;
const DONE_DIR = ".importati";
const REFUSED_DIR = ".scartati";
const ACTOR = { type: "system" as const, id: "drop-folder" };

export interface DropFolderDeps {
  db: Database;
  config: Pick<AppConfig, "IMPORT_DROP_ROOT" | "IMPORT_STORAGE_DIR" | "IMPORT_MAX_BYTES">;
  jobs: Pick<JobRegistry, "enqueue">;
  logger: Logger;
}

/**
 * The "shared folder" door: each council has `<IMPORT_DROP_ROOT>/<ipa>/in/`; a file that
 * appears there (and has stopped growing) is imported like an upload, then moved to
 * `in/.importati/` so it is read once; a file refused outright (unknown layout, too large, a
 * MyPay zip of another council) goes to `in/.scartati/` with the reason in
 * `out/<file>.errore.txt`. Folders not named after a council are ignored. The outcome files are
 * written to `out/` when the import ends (`writeDropOutcome`). A file copied in twice is the
 * same content hash: the second does nothing.
 */
export async function scanDropFolders(deps: DropFolderDeps, now = Date.now()): Promise<{ started: number }> {
  const root = resolve(deps.config.IMPORT_DROP_ROOT);
  let councils: string[];
  try {
    councils = (await readdir(root, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
  } catch {
    return { started: 0 };
  }
  let started = 0;
  for (const ipa of councils) {
    const tenant = await findTenantByIpaCode(deps.db, ipa);
    if (!tenant) continue;
    const inbox = join(root, ipa, "in");
    const entries = await readdir(inbox, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (!entry.isFile() || entry.name.startsWith(".") || /\.(part|tmp)$/i.test(entry.name)) continue;
      const file = join(inbox, entry.name);
      const info = await stat(file);
      if (now - info.mtimeMs < SETTLE_MS) continue;
      try {
        await startImport(deps, tenant, { name: entry.name, content: createReadStream(file), source: "DROP" }, ACTOR);
        await moveInto(inbox, DONE_DIR, entry.name);
        started += 1;
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500) throw err;
        await moveInto(inbox, REFUSED_DIR, entry.name);
        await mkdir(join(root, ipa, "out"), { recursive: true });
        await writeFile(join(root, ipa, "out", `${entry.name}.errore.txt`), `${err.message}\n`);
        deps.logger.warn({ ipa, file: entry.name, code: err.code }, "drop folder file refused");
      }
    }
  }
  return { started };
}

async function moveInto(inbox: string, sub: string, name: string) {
  await mkdir(join(inbox, sub), { recursive: true });
  await rename(join(inbox, name), join(inbox, sub, `${Date.now()}-${name}`));
}

/** Writes a finished drop-folder import's outcome files to `<root>/<ipa>/out/` (each complete, then renamed). */
export async function writeDropOutcome(
  deps: Pick<DropFolderDeps, "db" | "config">,
  tenantId: string,
  importId: string,
): Promise<string[]> {
  const found = await deps.db.withTenant(tenantId, async (tx) => ({
    file: await tx.importFile.findUnique({ where: { tenantId_id: { tenantId, id: importId } } }),
    tenant: await tx.tenant.findUnique({ where: { id: tenantId }, select: { ipaCode: true } }),
  }));
  if (!found.file || !found.tenant || found.file.source !== "DROP") return [];
  const out = join(resolve(deps.config.IMPORT_DROP_ROOT), found.tenant.ipaCode, "out");
  await mkdir(out, { recursive: true });
  const written: string[] = [];
  for (const layout of layoutsFor(found.file.format)) {
    const name = outcomeFileName(found.file.fileName, layout);
    const temp = join(out, `.${name}.tmp`);
    await pipeline(await outcomeStream(deps.db, tenantId, importId, layout), createWriteStream(temp));
    await rename(temp, join(out, name));
    written.push(name);
  }
  return written;
}
