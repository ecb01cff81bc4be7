import type { Response } from "express";

/**
 * Sends a generated PDF as a download. The file name is already ASCII-safe (notice and receipt
 * use cases build it); personal documents are never cached by shared caches or indexed.
 */
export function sendPdf(res: Response, file: { fileName: string; pdf: Buffer }): void {
  res
    .status(200)
    .set({
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${file.fileName}"`,
      "Cache-Control": "private, no-store",
      "X-Robots-Tag": "noindex",
    })
    .end(file.pdf);
}
