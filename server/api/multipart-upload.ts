import type { Request } from "express";
import busboy from "busboy";
import type { Actor } from "../audit/index.ts";
import type { Deps } from "../platform/deps.ts";
import { AppError } from "../platform/errors.ts";
import { startImport, type StartedImport } from "../imports/index.ts";

/**
 * The API door of imports: streams the multipart body's `file` part straight into startImport
 * (hashed and stored as it arrives, refused past IMPORT_MAX_BYTES with 413, its layout
 * recognised or refused with 422), exactly as the back-office upload does, without a session.
 * @throws AppError IMPORT_FILE_INVALID (422), IMPORT_TOO_LARGE (413)
 */
export function receiveImportUpload(
  deps: Deps,
  tenant: { id: string; ipaCode: string },
  req: Request,
  actor: Actor,
  requestId?: string,
): Promise<StartedImport> {
  const max = deps.config.IMPORT_MAX_BYTES;
  return new Promise((resolve, reject) => {
    let handled = false;
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: req.headers, limits: { files: 1, fields: 4, fieldSize: 1024, fileSize: max + 1 } });
    } catch {
      return reject(
        new AppError("IMPORT_FILE_INVALID", "Send the file as multipart/form-data, in the field `file`", 422),
      );
    }
    bb.on("file", (name, stream, info) => {
      if (handled || name !== "file" || !info.filename) return stream.resume();
      handled = true;
      startImport(deps, tenant, { name: info.filename, content: stream, source: "API" }, actor, requestId).then(
        resolve,
        (err: unknown) => {
          stream.resume();
          reject(err as Error);
        },
      );
    });
    bb.on("close", () => {
      if (!handled) reject(new AppError("IMPORT_FILE_INVALID", "No file in the field `file`", 422));
    });
    bb.on("error", (err) =>
      reject(new AppError("IMPORT_FILE_INVALID", `Invalid multipart body: ${(err as Error).message}`, 422)),
    );
    req.pipe(bb);
  });
}
