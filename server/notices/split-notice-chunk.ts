import { PDFDocument } from "pdf-lib";
import type { NoticeChunk } from "./render-notices-batch.ts";

export interface SplitNotice {
  positionId: string;
  fileName: string;
  navs: string[];
  pdf: Buffer;
}

/**
 * Cuts a merged chunk into one PDF per position (`avviso-<NAV>-<ipa>.pdf`), using the page
 * ranges the chunk carries. Pages are copied, not re-rendered, so splitting costs a fraction of
 * printing; fonts shared by the chunk are embedded again in each file.
 */
export async function splitNoticeChunk(chunk: NoticeChunk): Promise<SplitNotice[]> {
  if (!chunk.pdf) return [];
  const source = await PDFDocument.load(chunk.pdf, { updateMetadata: false });
  const out: SplitNotice[] = [];
  for (const notice of chunk.notices) {
    const doc = await PDFDocument.create({ updateMetadata: false });
    const indices = Array.from({ length: notice.pageCount }, (_, i) => notice.firstPage - 1 + i);
    for (const page of await doc.copyPages(source, indices)) doc.addPage(page);
    doc.setTitle(`Avviso di pagamento pagoPA ${notice.navs[0]}`);
    out.push({
      positionId: notice.positionId,
      fileName: notice.fileName,
      navs: notice.navs,
      pdf: Buffer.from(await doc.save()),
    });
  }
  return out;
}
