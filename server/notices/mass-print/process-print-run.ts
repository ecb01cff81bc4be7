import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { stringify } from "csv-stringify/sync";
import type { Database, Tx } from "../../platform/db/database.ts";
import { AppError } from "../../platform/errors.ts";
import type { Logger } from "../../platform/observability/logger.ts";
import type { PdfRenderer } from "../../platform/pdf/index.ts";
import { noticeFileName } from "../notice-file-names.ts";
import { loadNoticeSources, loadPrintableNoticeTenant } from "../notice-print.repository.ts";
import { buildNoticeView, type NoticeView } from "../notice-view.ts";
import { printNotices } from "../print-notices.ts";
import { splitNoticeChunk } from "../split-notice-chunk.ts";
import { assemblePrintRun, removeParts } from "./assemble-print-run.ts";
import {
  advancePrintCheckpoint,
  loadDebtorAddresses,
  nextSelectedIds,
  printSelectionSchema,
} from "./print-run.repository.ts";
import { partCsv, partDir, partPdf } from "./print-run-files.ts";

export interface PrintRunDeps {
  db: Database;
  pdf: PdfRenderer;
  logger: Logger;
}

export interface PrintRunHooks {
  /** Called inside each part's checkpoint transaction before it commits (tests stop a worker here). */
  beforeCommit?: (part: number, tx: Tx) => Promise<void>;
  /** Notices per part (default 50: one Chromium call each). */
  partSize?: number;
}

export interface PrintRunSummary {
  status: "DONE" | "FAILED";
  printed: number;
  skipped: number;
  pageCount: number;
}

/**
 * Prints a mass run from its checkpoint to the end, one part of `partSize` positions at a time:
 * the part's merged PDF, its per-position PDFs and its manifest lines are written to the run's
 * folder, then the checkpoint (last position, part number, counts) commits. A worker killed
 * halfway leaves at most one part written but not committed; the job runs again, rewrites that
 * part from scratch and goes on, so the result equals an uninterrupted run's. At the end the
 * parts are assembled into the zip, the merged PDF and the manifest (assemblePrintRun).
 */
export async function processPrintRun(
  deps: PrintRunDeps,
  tenantId: string,
  runId: string,
  hooks: PrintRunHooks = {},
): Promise<PrintRunSummary> {
  const { db, logger } = deps;
  const partSize = Math.max(1, hooks.partSize ?? 50);
  const run = await db.withTenant(tenantId, async (tx) => {
    const found = await tx.printRun.findUniqueOrThrow({ where: { tenantId_id: { tenantId, id: runId } } });
    if (found.status === "QUEUED")
      await tx.printRun.update({
        where: { tenantId_id: { tenantId, id: runId } },
        data: { status: "RUNNING", startedAt: found.startedAt ?? new Date() },
      });
    return found;
  });
  const summaryOf = (r: typeof run) => ({
    status: r.status as "DONE" | "FAILED",
    printed: r.printed,
    skipped: r.skipped,
    pageCount: r.pageCount,
  });
  if (run.status === "DONE" || run.status === "FAILED") return summaryOf(run);

  const selection = printSelectionSchema.parse(run.selection);
  // The run's own date names its files, so a resumed run names them as the first attempt did.
  const tenant = await db.withTenant(tenantId, (tx) => loadPrintableNoticeTenant(tx, tenantId, run.createdAt));
  if (!tenant) throw new AppError("NOT_FOUND", "Tenant not found", 404);

  let part = run.checkpointPart;
  let after = run.lastPositionId;
  let printed = run.printed;
  let pages = run.pageCount;
  for (;;) {
    const ids = await db.withTenant(tenantId, (tx) => nextSelectedIds(tx, tenantId, selection, after, partSize));
    if (ids.length === 0) break;
    part += 1;
    const { sources, addresses } = await db.withTenant(tenantId, async (tx) => ({
      sources: await loadNoticeSources(tx, tenantId, ids),
      addresses: await loadDebtorAddresses(tx, tenantId, ids),
    }));
    const views: NoticeView[] = [];
    for (const source of sources) if (source.ok) views.push(await buildNoticeView(tenant, source.position));

    const dir = partDir(run.storageDir, part);
    await rm(dir, { recursive: true, force: true }); // a part written by a worker that then died
    await mkdir(dir, { recursive: true });
    let partPages = 0;
    const lines: string[][] = [];
    if (views.length) {
      const result = await printNotices(deps.pdf, views, { tagged: false });
      partPages = result.pageCount;
      const notices = result.placements.map((p) => ({ ...p, fileName: noticeFileName(p.navs[0]!, tenant.ipaCode) }));
      await writeFile(partPdf(run.storageDir, part), result.pdf);
      const split = await splitNoticeChunk({
        part,
        ipaCode: tenant.ipaCode,
        fileName: "",
        pdf: result.pdf,
        pageCount: result.pageCount,
        notices,
        skipped: [],
      });
      for (const file of split) await writeFile(join(dir, file.fileName), file.pdf);
      notices.forEach((n, i) => {
        const debtor = addresses.get(n.positionId);
        lines.push([
          String(printed + i + 1),
          n.fileName,
          String(pages + n.firstPage),
          String(n.pageCount),
          n.navs.join(" "),
          n.positionId,
          debtor?.debtorName ?? "",
          debtor?.debtorAddress ?? "",
          debtor?.debtorPostalCode ?? "",
          debtor?.debtorCity ?? "",
          debtor?.debtorProvince ?? "",
        ]);
      });
    }
    await writeFile(partCsv(run.storageDir, part), stringify(lines, { delimiter: ";" }));

    const counts = { printed: views.length, skipped: ids.length - views.length, pages: partPages };
    await db.withTenant(tenantId, async (tx) => {
      if (!(await advancePrintCheckpoint(tx, tenantId, runId, part, ids[ids.length - 1]!, counts)))
        throw new AppError("PRINT_RUN_DUPLICATE", "Another worker moved this print run's checkpoint", 409);
      await hooks.beforeCommit?.(part, tx);
    });
    after = ids[ids.length - 1]!;
    printed += counts.printed;
    pages += counts.pages;
    logger.info({ runId, part, printed }, "print run part committed");
  }

  await assemblePrintRun(run.storageDir, tenant.ipaCode, run.createdAt, part);
  const done = await db.withTenant(tenantId, (tx) =>
    tx.printRun.update({
      where: { tenantId_id: { tenantId, id: runId } },
      data: { status: "DONE", finishedAt: new Date() },
    }),
  );
  await removeParts(run.storageDir);
  return summaryOf(done);
}
