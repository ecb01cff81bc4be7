import { PDFDocument } from "pdf-lib";
import { AppError } from "../platform/errors.ts";
import { noticesFileName } from "./notice-file-names.ts";
import type { NoticeSelection } from "./notice.repository.ts";
import { renderNoticesBatch, type ChunkNotice, type NoticeBatchOptions, type NoticeChunk } from "./render-notices-batch.ts";
import type { NoticeDeps } from "./render-position-notice.ts";

/** Above this, callers must stream with renderNoticesBatch: one Buffer would hold it all. */
export const MAX_NOTICES_IN_ONE_PDF = 1_000;

export interface RenderedNotices {
  fileName: string;
  /** Null when no position had a notice to print. */
  pdf: Buffer | null;
  pageCount: number;
  notices: ChunkNotice[];
  skipped: NoticeChunk["skipped"];
}

/**
 * The notices of several positions in one PDF (`avvisi-<ipa>-<yyyy-mm-dd>.pdf`), e.g. for an
 * operator printing a family's notices at the counter. Printed in chunks like a batch and merged;
 * page ranges are those of the merged file.
 * @throws AppError BAD_REQUEST (no ids) | NOTICE_BATCH_TOO_LARGE when more than MAX_NOTICES_IN_ONE_PDF positions are asked for
 */
export async function renderNoticesPdf(
  deps: NoticeDeps,
  tenantId: string,
  positionIds: string[],
  options: NoticeBatchOptions = {},
): Promise<RenderedNotices> {
  if (positionIds.length === 0) throw new AppError("BAD_REQUEST", "No positions to print", 400);
  if (new Set(positionIds).size > MAX_NOTICES_IN_ONE_PDF) {
    throw new AppError("NOTICE_BATCH_TOO_LARGE", `At most ${MAX_NOTICES_IN_ONE_PDF} positions in one PDF; stream larger batches`, 413);
  }
  const now = options.now ?? new Date();
  const merged = await PDFDocument.create({ updateMetadata: false });
  const notices: ChunkNotice[] = [];
  const skipped: NoticeChunk["skipped"] = [];
  let ipaCode = "";
  const selection: NoticeSelection = { positionIds };
  for await (const chunk of renderNoticesBatch(deps, tenantId, selection, { ...options, now })) {
    ipaCode = chunk.ipaCode;
    skipped.push(...chunk.skipped);
    if (!chunk.pdf) continue;
    const offset = merged.getPageCount();
    const source = await PDFDocument.load(chunk.pdf, { updateMetadata: false });
    for (const page of await merged.copyPages(source, source.getPageIndices())) merged.addPage(page);
    notices.push(...chunk.notices.map((n) => ({ ...n, firstPage: n.firstPage + offset })));
  }
  merged.setTitle("Avvisi di pagamento pagoPA");
  const pageCount = merged.getPageCount();
  return {
    fileName: noticesFileName(ipaCode || "ente", now),
    pdf: pageCount ? Buffer.from(await merged.save()) : null,
    pageCount,
    notices,
    skipped,
  };
}
