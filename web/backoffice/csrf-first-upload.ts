import type { Request, Response } from "express";
import type { Readable } from "node:stream";
import busboy from "busboy";
import { AppError } from "../../server/platform/errors.ts";
import { csrfTokenMatches } from "./guards.ts";

export interface CsrfFirstUpload {
  /** The form's file field. */
  field: string;
  /** Bytes busboy lets through (the use case's own limit plus one, so it refuses with its message). */
  fileSize: number;
  maxFields?: number;
  /** The error when no file was chosen (`malformed` true: the body was not a readable form). */
  noFile: (malformed: boolean, detail?: string) => Error;
}

/**
 * Reads a multipart form whose first field is the CSRF token: the token is checked before any
 * byte of the file is accepted (guards.ts lets these uploads through unparsed), then the one
 * file is handed as a stream to `handle`, never buffered here. A stream `handle` leaves unread
 * on failure is drained so the request completes.
 */
export function receiveCsrfFirstUpload<T>(
  req: Request,
  res: Response,
  opts: CsrfFirstUpload,
  handle: (file: { name: string; stream: Readable }) => Promise<T>,
): Promise<T> {
  return new Promise((resolve, reject) => {
    let csrfOk = false;
    let handled = false;
    let bb: busboy.Busboy;
    try {
      bb = busboy({
        headers: req.headers,
        limits: { files: 1, fields: opts.maxFields ?? 4, fieldSize: 1024, fileSize: opts.fileSize },
      });
    } catch {
      return reject(opts.noFile(true));
    }
    bb.on("field", (name, value) => {
      if (name === "_csrf") csrfOk = csrfTokenMatches(res, value);
    });
    bb.on("file", (name, stream, info) => {
      if (handled || name !== opts.field) return stream.resume();
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
        return reject(opts.noFile(false));
      }
      handle({ name: info.filename, stream }).then(resolve, (err: unknown) => {
        stream.resume();
        reject(err as Error);
      });
    });
    bb.on("close", () => {
      if (!handled) reject(opts.noFile(false));
    });
    bb.on("error", (err) => reject(opts.noFile(true, (err as Error).message)));
    req.pipe(bb);
  });
}
