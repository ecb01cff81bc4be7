import { createHash, randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { Transform } from "node:stream";
import type { Request } from "express";
import busboy from "busboy";
import type { Actor } from "../audit/index.ts";
import type { Deps } from "../platform/deps.ts";
import { AppError } from "../platform/errors.ts";
import { startImport, type StartedImport } from "../imports/index.ts";

/** A multipart upload's file, kept in a temporary file until the request ends. */
export interface SpooledUpload {
  fileName: string;
  /** sha256 of the file's bytes (hex): what makes two uploads "the same" for an Idempotency-Key. */
  sha256: string;
  path: string;
  /** Removes the temporary file. */
  dispose(): Promise<void>;
}

const invalid = (detail: string) => new AppError("IMPORT_FILE_INVALID", detail, 422);

/**
 * Reads the multipart body's `field` part into a temporary file, hashing it as it arrives, so
 * an Idempotency-Key can be claimed for these bytes (not their length) before anything runs.
 * At most `maxBytes + 1` bytes are kept: one more than the limit tells the import it is too large
 * (413), as the back-office door says.
 * @throws AppError IMPORT_FILE_INVALID (422): not multipart, or no file in `field`
 */
export function spoolUpload(req: Request, field: string, maxBytes: number): Promise<SpooledUpload> {
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: req.headers, limits: { files: 1, fields: 4, fieldSize: 1024, fileSize: maxBytes + 1 } });
    } catch {
      return reject(invalid(`Send the file as multipart/form-data, in the field \`${field}\``));
    }
    let spooling: Promise<SpooledUpload> | null = null;
    bb.on("file", (name, stream, info) => {
      const fileName = info.filename;
      if (spooling || name !== field || !fileName) return stream.resume();
      const file = path.join(tmpdir(), `pontepa-upload-${randomUUID()}`);
      const dispose = () => rm(file, { force: true });
      const hash = createHash("sha256");
      const hashing = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          hash.update(chunk);
          done(null, chunk);
        },
      });
      spooling = pipeline(stream, hashing, createWriteStream(file)).then(
        () => ({ fileName, sha256: hash.digest("hex"), path: file, dispose }),
        async (err: unknown) => {
          await dispose();
          throw err;
        },
      );
      spooling.catch(() => undefined); // settled in "close"
    });
    bb.on("close", () => {
      const spooled = spooling as Promise<SpooledUpload> | null;
      if (!spooled) return reject(invalid(`No file in the field \`${field}\``));
      spooled.then(resolve, reject);
    });
    bb.on("error", (err) => reject(invalid(`Invalid multipart body: ${(err as Error).message}`)));
    req.pipe(bb);
  });
}

/**
 * The API door of imports: the spooled file goes into startImport (hashed and stored, refused
 * past IMPORT_MAX_BYTES with 413, its layout recognised or refused with 422), exactly as the
 * back-office upload does, without a session.
 * @throws AppError IMPORT_FILE_INVALID (422), IMPORT_TOO_LARGE (413)
 */
export function receiveImportUpload(
  deps: Deps,
  tenant: { id: string; ipaCode: string },
  upload: SpooledUpload,
  actor: Actor,
  requestId?: string,
): Promise<StartedImport> {
  return startImport(
    deps,
    tenant,
    { name: upload.fileName, content: createReadStream(upload.path), source: "API" },
    actor,
    requestId,
  );
}
