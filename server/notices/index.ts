// pagoPA payment notices (avvisi di pagamento, guide 3.5.1) as PDF: one position, several in one
// file, or a streamed batch of merged chunks for mass mailings.
export { renderPositionNotice, type NoticeDeps, type RenderedNotice } from "./render-position-notice.ts";
export { renderNoticeByNav } from "./render-notice-by-nav.ts";
export {
  renderNoticesBatch,
  type NoticeBatchOptions,
  type NoticeChunk,
  type ChunkNotice,
} from "./render-notices-batch.ts";
export { splitNoticeChunk, type SplitNotice } from "./split-notice-chunk.ts";
export type { NoticeSelection, SkipReason } from "./notice-print.repository.ts";
export { noticeFileName, noticesFileName, noticeBatchFileName } from "./notice-file-names.ts";
export { buildNoticeView, type NoticeView } from "./notice-view.ts";
export { renderNoticeDocument } from "./notice-document.ts";
export { noticeBrandingSchema, type NoticeBranding } from "./notice.schema.ts";
export {
  startPrintRun,
  getPrintRun,
  listPrintRuns,
  processPrintRun,
  printRunJob,
  printSelectionSchema,
  printRunFileNames,
  printRunFileStream,
  MANIFEST_HEADER,
  type PrintSelection,
  type PrintRunFileKind,
  type PrintRunHooks,
} from "./mass-print/index.ts";
