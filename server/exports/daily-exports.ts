import { createWriteStream } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { once } from "node:events";
import type { Writable } from "node:stream";
import { z } from "zod";
import type { Logger } from "pino";
import type { AppConfig } from "../config/env.ts";
import { recordAudit, type Actor } from "../audit/index.ts";
import type { Database } from "../platform/db/database.ts";
import { dateAsDay, dayAsDate, romeDayOf } from "../platform/rome-day.ts";
import { PAID_LAYOUTS } from "./paid-layouts.ts";
import { exportFileName, exportRequestSchema, writeExport } from "./write-export.ts";

export const dailyExportLayoutsSchema = z.array(z.enum(["native", "mypay", "govpay"])).max(3);
export type DailyExportLayout = z.output<typeof dailyExportLayoutsSchema>[number];
export const DAILY_EXPORT_LAYOUTS = Object.keys(PAID_LAYOUTS) as DailyExportLayout[];

/** The council's choice of paid-receipt layouts written every day to its drop folder (audited). */
export async function setDailyExports(
  db: Database,
  tenantId: string,
  layouts: readonly string[],
  actor: Actor,
): Promise<DailyExportLayout[]> {
  const chosen = [...new Set(dailyExportLayoutsSchema.parse(layouts))].sort();
  return db.withTenant(tenantId, async (tx) => {
    const before = await tx.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { dailyExportLayouts: true } });
    if (before.dailyExportLayouts.join() === chosen.join()) return chosen;
    await tx.tenant.update({ where: { id: tenantId }, data: { dailyExportLayouts: chosen } });
    await recordAudit(tx, {
      tenantId,
      actor,
      action: "tenant.daily-exports",
      entityType: "Tenant",
      entityId: tenantId,
      before: { dailyExportLayouts: before.dailyExportLayouts },
      after: { dailyExportLayouts: chosen },
    });
    return chosen;
  });
}

export interface DailyExportDeps {
  db: Database;
  config: Pick<AppConfig, "IMPORT_DROP_ROOT">;
  logger: Logger;
}

/**
 * Writes yesterday's (Rome calendar) paid receipts, in each layout a council chose, to
 * `<IMPORT_DROP_ROOT>/<ipa>/out/`, under the same name the back-office download has. A file
 * already there is left alone, so the hourly job writes each day once however often it runs or
 * however many workers run it. Only yesterday is looked at: a day missed because the platform
 * was down all the next day stays available from the back-office and the API. The file appears under its final name only when complete (written to
 * a `.part` name, which the council's side must ignore, then renamed).
 */
export async function writeDailyExports(deps: DailyExportDeps, now = new Date()): Promise<{ written: string[] }> {
  const yesterday = dateAsDay(new Date(dayAsDate(romeDayOf(now)).getTime() - 86_400_000));
  const councils = await deps.db.withPlatformScope("daily exports: the councils that asked for them", (tx) =>
    tx.tenant.findMany({
      where: { dailyExportLayouts: { isEmpty: false } },
      select: { id: true, ipaCode: true, dailyExportLayouts: true },
    }),
  );
  const written: string[] = [];
  for (const council of councils) {
    const out = join(resolve(deps.config.IMPORT_DROP_ROOT), council.ipaCode, "out");
    for (const layout of dailyExportLayoutsSchema.catch([]).parse(council.dailyExportLayouts)) {
      const request = exportRequestSchema.parse({ kind: "paid", from: yesterday, to: yesterday, layout });
      const file = join(out, exportFileName(council.ipaCode, request));
      if (await exists(file)) continue;
      try {
        await mkdir(out, { recursive: true });
        await writeAtomically(file, (stream) => writeExport(deps.db, council.id, request, stream));
        written.push(file);
      } catch (err) {
        // One council's full disk or bad folder must not stop the others' exports.
        deps.logger.error({ err, ipa: council.ipaCode, layout }, "daily export not written");
      }
    }
  }
  return { written };
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

async function writeAtomically(file: string, fill: (out: Writable) => Promise<void>): Promise<void> {
  const part = `${file}.part`;
  const out = createWriteStream(part);
  try {
    await fill(out);
    if (!out.closed) await once(out, "close");
    await rename(part, file);
  } catch (err) {
    out.destroy();
    await rm(part, { force: true });
    throw err;
  }
}
