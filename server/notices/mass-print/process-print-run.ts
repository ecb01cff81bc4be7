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

/** Parts printing at once: two keep the Chromium pool's two pages busy. */
const PARTS_IN_FLIGHT = 2;

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
 * Prints a mass run from its checkpoint to the end in parts of `partSize` positions: each part's
 * merged PDF, its per-position PDFs and its manifest lines are written to the run's folder, then
 * the checkpoint (last position, part number, counts) commits, parts committing in order. A worker
 * killed halfway leaves parts written but not committed; the job runs again, rewrites them from
 * scratch and goes on, so the result equals an uninterrupted run's. At the end the
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

  // A part's PDFs, written to its folder; its manifest and checkpoint wait for the part before.
  const writePart = async (n: number, ids: string[]) => {
    const { sources, addresses } = await db.withTenant(tenantId, async (tx) => ({
      sources: await loadNoticeSources(tx, tenantId, ids),
      addresses: await loadDebtorAddresses(tx, tenantId, ids),
    }));
    const views: NoticeView[] = [];
    for (const source of sources) if (source.ok) views.push(await buildNoticeView(tenant, source.position));
    const dir = partDir(run.storageDir, n);
    await rm(dir, { recursive: true, force: true }); // a part written by a worker that then died
    await mkdir(dir, { recursive: true });
    if (!views.length) return { ids, addresses, printed: 0, pages: 0, notices: [] };
    const result = await printNotices(deps.pdf, views, { tagged: false });
    const notices = result.placements.map((p) => ({ ...p, fileName: noticeFileName(p.navs[0]!, tenant.ipaCode) }));
    await writeFile(partPdf(run.storageDir, n), result.pdf);
    const split = await splitNoticeChunk({
      part: n,
      ipaCode: tenant.ipaCode,
      fileName: "",
      pdf: result.pdf,
      pageCount: result.pageCount,
      notices,
      skipped: [],
    });
    for (const file of split) await writeFile(join(dir, file.fileName), file.pdf);
    return { ids, addresses, printed: views.length, pages: result.pageCount, notices };
  };
  // In part order: the manifest numbers notices and pages across the whole run.
  const commitPart = async (n: number, written: Awaited<ReturnType<typeof writePart>>) => {
    const lines = written.notices.map((notice, i) => {
      const debtor = written.addresses.get(notice.positionId);
      return [
        String(printed + i + 1),
        notice.fileName,
        String(pages + notice.firstPage),
        String(notice.pageCount),
        notice.navs.join(" "),
        notice.positionId,
        debtor?.debtorName ?? "",
        debtor?.debtorAddress ?? "",
        debtor?.debtorPostalCode ?? "",
        debtor?.debtorCity ?? "",
        debtor?.debtorProvince ?? "",
      ];
    });
    await writeFile(partCsv(run.storageDir, n), stringify(lines, { delimiter: ";" }));
    const { ids } = written;
    const counts = { printed: written.printed, skipped: ids.length - written.printed, pages: written.pages };
    await db.withTenant(tenantId, async (tx) => {
      if (!(await advancePrintCheckpoint(tx, tenantId, runId, n, ids[ids.length - 1]!, counts)))
        throw new AppError("PRINT_RUN_DUPLICATE", "Another worker moved this print run's checkpoint", 409);
      await hooks.beforeCommit?.(n, tx);
    });
    printed += counts.printed;
    pages += counts.pages;
    logger.info({ runId, part: n, printed }, "print run part committed");
  };

  // Two parts print at once (one in each of the pool's pages while the other is laid out or
  // split), committing in order; a failed part fails every later one's commit. A worker killed
  // here leaves at most two parts written but not committed: both are rewritten on resume.
  const inFlight: Array<Promise<void>> = [];
  let previous: Promise<void> = Promise.resolve();
  try {
    for (;;) {
      const ids = await db.withTenant(tenantId, (tx) => nextSelectedIds(tx, tenantId, selection, after, partSize));
      if (ids.length === 0) break;
      after = ids[ids.length - 1]!;
      const n = ++part;
      const written = writePart(n, ids);
      const before = previous;
      const done = (async () => {
        const w = await written;
        await before;
        await commitPart(n, w);
      })();
      done.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
      previous = done;
      inFlight.push(done);
      if (inFlight.length >= PARTS_IN_FLIGHT) await inFlight.shift();
    }
  } finally {
    await Promise.allSettled(inFlight);
  }
  await previous;

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
