import { AppError } from "../platform/errors.ts";
import { noticeBatchFileName, noticeFileName } from "./notice-file-names.ts";
import {
  loadNoticeSources,
  loadPrintableNoticeTenant,
  nextPositionIds,
  type NoticeSelection,
  type SkipReason,
} from "./notice-print.repository.ts";
import { buildNoticeView, type NoticeView } from "./notice-view.ts";
import { printNotices } from "./print-notices.ts";
import type { NoticeDeps } from "./render-position-notice.ts";

export interface NoticeBatchOptions {
  /** Notices printed per Chromium call and per yielded chunk (default 50). */
  chunkSize?: number;
  /** Chunks printing at once (default 2, one per Chromium page of the default pool). */
  concurrency?: number;
  /** The date in the chunk file names (default now, Rome's calendar day). */
  now?: Date;
  /**
   * Tagged (accessible) PDF. Default false: batches go to print shops and postal printers, and
   * tagging costs about 40% of the print time (see RenderOptions.tagged). Pass true when the
   * split files go to citizens digitally.
   */
  tagged?: boolean;
}

/** One notice inside a chunk: its pages and the name it gets when split out. */
export interface ChunkNotice {
  positionId: string;
  fileName: string;
  navs: string[];
  firstPage: number;
  pageCount: number;
}

/**
 * One merged PDF of a batch (`avvisi-<ipa>-<date>-<part>.pdf`) and the table of its contents.
 * Merged chunks are what a postal printer takes; `splitNoticeChunk` cuts one into per-position
 * files when each citizen gets their own.
 */
export interface NoticeChunk {
  part: number;
  /** The council's IPA code, as in the file names. */
  ipaCode: string;
  fileName: string;
  /** Null when every position of this part was skipped. */
  pdf: Buffer | null;
  pageCount: number;
  notices: ChunkNotice[];
  /** Positions asked for (or listed) that have no notice to print, and why. */
  skipped: Array<{ positionId: string; reason: SkipReason }>;
}

/**
 * Streams the notices of many positions as merged PDF chunks, in selection order, with a few
 * chunks printing while the next ones are read and laid out. Memory stays bounded by
 * `chunkSize × concurrency` notices whatever the batch size, and a consumer that stops early
 * (`break`) stops the reading. Wrap it in `Readable.from(...)` for a Node stream.
 *
 * If Chromium dies mid-batch the pool relaunches it and retries the chunks that were printing,
 * so every position is delivered exactly once, in the chunk it was planned in.
 * @throws AppError NOT_FOUND (tenant) | NOTICE_LAYOUT_OVERFLOW | PDF_*
 */
export async function* renderNoticesBatch(
  deps: NoticeDeps,
  tenantId: string,
  selection: NoticeSelection,
  options: NoticeBatchOptions = {},
): AsyncGenerator<NoticeChunk> {
  const chunkSize = Math.max(1, Math.floor(options.chunkSize ?? 50));
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 2));
  const now = options.now ?? new Date();
  const tenant = await deps.db.withTenant(tenantId, (tx) => loadPrintableNoticeTenant(tx, tenantId, now));
  if (!tenant) throw new AppError("NOT_FOUND", "Tenant not found", 404);

  const inFlight: Array<Promise<NoticeChunk>> = [];
  let part = 0;
  for await (const ids of idPages(deps, tenantId, selection, chunkSize)) {
    const sources = await deps.db.withTenant(tenantId, (tx) => loadNoticeSources(tx, tenantId, ids));
    const views: NoticeView[] = [];
    const skipped: NoticeChunk["skipped"] = [];
    for (const source of sources) {
      if (source.ok) views.push(await buildNoticeView(tenant, source.position));
      else skipped.push({ positionId: source.positionId, reason: source.reason });
    }
    const thisPart = ++part;
    const chunk = print(
      deps,
      views,
      skipped,
      thisPart,
      noticeBatchFileName(tenant.ipaCode, now, thisPart),
      tenant.ipaCode,
      options.tagged ?? false,
    );
    chunk.catch(() => undefined); // awaited in order below; never an unhandled rejection meanwhile
    inFlight.push(chunk);
    if (inFlight.length >= concurrency) yield await inFlight.shift()!;
  }
  while (inFlight.length) yield await inFlight.shift()!;
}

async function print(
  deps: NoticeDeps,
  views: NoticeView[],
  skipped: NoticeChunk["skipped"],
  part: number,
  fileName: string,
  ipaCode: string,
  tagged: boolean,
): Promise<NoticeChunk> {
  if (views.length === 0) return { part, ipaCode, fileName, pdf: null, pageCount: 0, notices: [], skipped };
  const printed = await printNotices(deps.pdf, views, { tagged });
  return {
    part,
    ipaCode,
    fileName,
    pdf: printed.pdf,
    pageCount: printed.pageCount,
    notices: printed.placements.map((p) => ({ ...p, fileName: noticeFileName(p.navs[0]!, ipaCode) })),
    skipped,
  };
}

/** The selection as pages of at most `size` ids: explicit lists in their order, deduplicated. */
async function* idPages(
  deps: NoticeDeps,
  tenantId: string,
  selection: NoticeSelection,
  size: number,
): AsyncGenerator<string[]> {
  if ("positionIds" in selection) {
    const ids = [...new Set(selection.positionIds)];
    for (let i = 0; i < ids.length; i += size) yield ids.slice(i, i + size);
    return;
  }
  let after: string | null = null;
  for (;;) {
    const ids: string[] = await deps.db.withTenant(tenantId, (tx) =>
      nextPositionIds(tx, tenantId, selection, after, size),
    );
    if (ids.length === 0) return;
    yield ids;
    after = ids[ids.length - 1]!;
  }
}
