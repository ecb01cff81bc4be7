import busboy from "busboy";
import type { Readable } from "node:stream";
import type { Request, Response } from "express";
import { AppError } from "../../server/platform/errors.ts";
import { csrfTokenMatches } from "./guards.ts";

export interface StreamedUploadOptions<T> {
  /** The form's file field; any other file is skipped. */
  field: string;
  /** Bytes read from the file before busboy stops (the consumer sees the cut via its own limit). */
  fileSize: number;
  /** Text fields allowed beside the file (`_csrf` first). */
  fields: number;
  /** Takes the file's stream once the CSRF token has been checked; its result is the upload's. */
  consume: (stream: Readable, fileName: string) => Promise<T>;
  /** The error for a form without a chosen file. */
  missing: () => Error;
  /** The error for a body busboy cannot read. */
  invalid: (err?: Error) => Error;
}

/**
 * Reads a back-office multipart form whose file is streamed to a consumer (a council's logo, a
 * debt file of up to IMPORT_MAX_BYTES), never buffered here: the CSRF token, the form's first
 * field, is checked before the first file byte is handed on; one file only.
 */
export function receiveStreamedUpload<T>(req: Request, res: Response, options: StreamedUploadOptions<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    let csrfOk = false;
    let handled = false;
    let bb: busboy.Busboy;
    try {
      bb = busboy({
        headers: req.headers,
        limits: { files: 1, fields: options.fields, fieldSize: 1024, fileSize: options.fileSize },
      });
    } catch {
      return reject(options.invalid());
    }
    bb.on("field", (name, value) => {
      if (name === "_csrf") csrfOk = csrfTokenMatches(res, value);
    });
    bb.on("file", (name, stream, info) => {
      if (handled || name !== options.field) return stream.resume();
      handled = true;
      if (!csrfOk) {
        stream.resume();
        return reject(
          new AppError(
            "CSRF_INVALID",
            "Il modulo è scaduto o non proviene da questa sessione: ricarica la pagina",
            403,
          ),
        );
      }
      if (!info.filename) {
        stream.resume();
        return reject(options.missing());
      }
      options.consume(stream, info.filename).then(resolve, (err: unknown) => {
        stream.resume();
        reject(err);
      });
    });
    bb.on("close", () => {
      if (!handled) reject(options.missing());
    });
    bb.on("error", (err) => reject(options.invalid(err as Error)));
    req.pipe(bb);
  });
}
