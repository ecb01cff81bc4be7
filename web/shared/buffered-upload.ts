import busboy from "busboy";
import type { RequestHandler, Response } from "express";

/** One uploaded file, whole in memory (small files only: a signed letter, a CSV of councils). */
export interface BufferedUpload {
  fileName: string;
  file: Buffer;
  /** True when the file went past the limit: `file` then holds only its first bytes. */
  truncated: boolean;
}

/** The file of a multipart form parsed by `bufferedMultipart`, or null when none was chosen. */
export function uploadOf(res: Response): BufferedUpload | null {
  return (res.locals.upload as BufferedUpload | undefined) ?? null;
}

/**
 * Parses a small multipart form before the CSRF check, so the check reads `_csrf` from req.body
 * as it does for any other form: text fields go to req.body, the one file (at most `maxBytes`,
 * past that it is cut and flagged, never buffered further) to res.locals.upload. Other bodies
 * pass through untouched. For files of a few MB; big imports stream instead (imports.pages.ts).
 */
export function bufferedMultipart(maxBytes: number): RequestHandler {
  return (req, res, next) => {
    if (req.method !== "POST" || !req.is("multipart/form-data")) return next();
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: req.headers, limits: { files: 1, fields: 40, fieldSize: 4096, fileSize: maxBytes } });
    } catch {
      return next();
    }
    const fields: Record<string, string> = {};
    let pending: Promise<void> = Promise.resolve();
    bb.on("field", (name, value) => {
      fields[name] = value;
    });
    bb.on("file", (_name, stream, info) => {
      pending = new Promise((resolve) => {
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => {
          const file = Buffer.concat(chunks);
          if (info.filename && file.length > 0)
            res.locals.upload = {
              fileName: info.filename,
              file,
              truncated: (stream as { truncated?: boolean }).truncated === true,
            };
          resolve();
        });
      });
    });
    bb.on("close", () => {
      void pending.then(() => {
        req.body = fields;
        next();
      });
    });
    bb.on("error", () => {
      req.unpipe(bb);
      req.resume();
      req.body = {};
      next();
    });
    req.pipe(bb);
  };
}
