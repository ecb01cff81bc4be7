import { mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { AppError } from "../platform/errors.ts";
import { defineJob, type JobContext } from "../platform/queue/job.ts";
import { importTreasuryFile } from "./import-treasury-file.ts";

const JOURNAL = /\.(xml|csv|xls|xlsx)$/i;

/**
 * Every 5 minutes, when TREASURY_DROP_DIR is set: the journals treasurers (or a transfer agent)
 * leave in `<dir>/<council IPA code>/` are imported for that council, then moved to `done/`, or
 * to `refused/` beside a `.reason.txt` saying why. A file is moved only after its import
 * committed, so a crash imports it again on the next run, and the import's own deduplication
 * keeps its credits once.
 */
export const importTreasuryDropFolderJob = defineJob({
  queue: "reconciliation",
  name: "import-treasury-drop-folder",
  schedule: { every: 5 * 60_000 },
  schema: z.object({}),
  async handle(_payload, ctx) {
    return importTreasuryDropFolder(ctx);
  },
});

export async function importTreasuryDropFolder(ctx: Pick<JobContext, "db" | "logger" | "config">) {
  const root = ctx.config.TREASURY_DROP_DIR;
  if (!root) return { skipped: "TREASURY_DROP_DIR not set" };
  const folders = await readdir(root, { withFileTypes: true }).catch(() => []);
  const ipaCodes = folders.filter((d) => d.isDirectory()).map((d) => d.name);
  const tenants = await ctx.db.withPlatformScope("scheduler: treasury drop folder", (tx) =>
    tx.tenant.findMany({ where: { ipaCode: { in: ipaCodes } }, select: { id: true, ipaCode: true } }),
  );
  const results: Record<string, { imported: number; refused: number }> = {};
  for (const t of tenants) {
    const dir = path.join(root, t.ipaCode);
    const files = (await readdir(dir, { withFileTypes: true })).filter((d) => d.isFile() && JOURNAL.test(d.name));
    results[t.ipaCode] = { imported: 0, refused: 0 };
    for (const f of files) {
      const from = path.join(dir, f.name);
      const stamp = new Date().toISOString().replace(/[:.]/g, "-");
      try {
        const summary = await importTreasuryFile(ctx.db, t.id, { fileName: f.name, bytes: await readFile(from) });
        await mkdir(path.join(dir, "done"), { recursive: true });
        await rename(from, path.join(dir, "done", `${stamp}-${f.name}`));
        results[t.ipaCode]!.imported++;
        ctx.logger.info({ ipa: t.ipaCode, file: f.name, ...summary }, "treasury journal imported from the drop folder");
      } catch (err) {
        if (!(err instanceof AppError) || err.code !== "TREASURY_FILE_INVALID") throw err;
        await mkdir(path.join(dir, "refused"), { recursive: true });
        await rename(from, path.join(dir, "refused", `${stamp}-${f.name}`));
        await writeFile(path.join(dir, "refused", `${stamp}-${f.name}.reason.txt`), `${err.message}\n`);
        results[t.ipaCode]!.refused++;
        ctx.logger.warn({ ipa: t.ipaCode, file: f.name, reason: err.message }, "treasury journal refused");
      }
    }
  }
  return results;
}
