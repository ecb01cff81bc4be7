import { PDFDocument } from "pdf-lib";
import type { PdfRenderer, RenderOptions } from "../platform/pdf/index.ts";
import { AppError } from "../platform/errors.ts";
import { renderNoticeDocument } from "./notice-document.ts";
import type { NoticeView } from "./notice-view.ts";

/** Where one notice lies inside a printed PDF (pages are 1-based). */
export interface NoticePlacement {
  positionId: string;
  navs: string[];
  firstPage: number;
  pageCount: number;
}

export interface PrintedNotices {
  pdf: Buffer;
  pageCount: number;
  placements: NoticePlacement[];
}

/**
 * Prints notices in one Chromium call and says which pages belong to which position. Every
 * notice page has a fixed height, so its page count is known beforehand; the PDF's real page
 * count is checked against it, because a template change that makes a notice overflow onto an
 * extra page would otherwise shift every later notice onto the wrong recipient's pages.
 * @throws AppError NOTICE_LAYOUT_OVERFLOW
 */
export async function printNotices(
  renderer: PdfRenderer,
  views: NoticeView[],
  options: RenderOptions = {},
): Promise<PrintedNotices> {
  const pdf = await renderer.render(renderNoticeDocument(views), options);
  const placements: NoticePlacement[] = [];
  let page = 1;
  for (const view of views) {
    placements.push({ positionId: view.positionId, navs: view.navs, firstPage: page, pageCount: view.pageCount });
    page += view.pageCount;
  }
  const expected = page - 1;
  const actual =
    quickPageCount(pdf) === expected
      ? expected
      : (await PDFDocument.load(pdf, { updateMetadata: false })).getPageCount();
  if (actual !== expected) {
    throw new AppError("NOTICE_LAYOUT_OVERFLOW", `Printed ${actual} pages for notices planned on ${expected}`, 500, {
      positions: views.map((v) => v.positionId),
    });
  }
  return { pdf, pageCount: actual, placements };
}

/**
 * Page objects counted in the raw bytes: Chromium (Skia) writes one `/Type /Page` dictionary per
 * page and no object streams, so this is exact for its output and about 15 times cheaper than
 * parsing the file. Only a match is trusted; any other count is re-checked with a real parse
 * before the batch fails, so a change in Chromium's output can slow printing but never mislabel it.
 */
function quickPageCount(pdf: Buffer): number {
  return pdf.toString("latin1").match(/\/Type\s*\/Page(?![A-Za-z])/g)?.length ?? 0;
}
