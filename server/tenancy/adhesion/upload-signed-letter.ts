import type { Database } from "../../platform/db/database.ts";
import type { Actor } from "../../audit/index.ts";
import { FormValidationError } from "../../platform/errors.ts";
import { readSigner } from "./read-signer.ts";
import { completeStep, loadRequest, platformScope } from "./transition.ts";

/** A signed letter is a few pages: 10 MB is plenty, and bounds what the table stores. */
export const MAX_LETTER_BYTES = 10 * 1024 * 1024;

/** True when the bytes are what the name says: a PDF, or a CMS envelope (DER or base64). */
function looksRight(file: Buffer, fileName: string): boolean {
  if (/\.pdf$/i.test(fileName)) return file.subarray(0, 5).toString("latin1") === "%PDF-";
  if (/\.p7m$/i.test(fileName))
    return file[0] === 0x30 || /^[-A-Za-z0-9+/=\s]+$/.test(file.subarray(0, 256).toString("latin1"));
  return false;
}

/**
 * The council uploads the letter signed by its legal representative: a PAdES .pdf or a CAdES
 * .p7m, size and type checked, stored with the request; the signer's name is read from the
 * certificate when possible (shown as "firma non verificata": nothing here checks the signature
 * cryptographically or against a trust list). Audited.
 * @throws FormValidationError (file) | AppError ADHESION_WRONG_STEP
 */
export async function uploadSignedLetter(
  db: Database,
  ipaCode: string,
  upload: { fileName: string; file: Buffer },
  actor: Actor,
  now = new Date(),
) {
  const fileName = upload.fileName.replace(/[^\w.-]+/g, "_").slice(-200);
  if (!/\.(pdf|p7m)$/i.test(fileName))
    throw new FormValidationError({ letter: "carica la lettera firmata in formato .pdf (PAdES) o .p7m (CAdES)" });
  if (upload.file.length === 0) throw new FormValidationError({ letter: "il file è vuoto" });
  if (upload.file.length > MAX_LETTER_BYTES) throw new FormValidationError({ letter: "il file supera i 10 MB" });
  if (!looksRight(upload.file, fileName))
    throw new FormValidationError({ letter: "il contenuto del file non corrisponde al suo tipo (.pdf o .p7m)" });
  const { kind, signer } = readSigner(upload.file, fileName);
  return platformScope(db, "store the signed letter", async (tx) =>
    completeStep(
      tx,
      await loadRequest(tx, ipaCode),
      "LETTER",
      {
        letterFileName: fileName,
        letterFile: new Uint8Array(upload.file),
        letterSigner: signer,
        letterUploadedAt: now,
      },
      actor,
      { fileName, bytes: upload.file.length, signature: kind, signer },
    ),
  );
}

/** The stored signed letter, for the helpdesk to open. */
export async function signedLetter(db: Database, ipaCode: string) {
  const r = await platformScope(db, "read the signed letter", (tx) => loadRequest(tx, ipaCode));
  return r.letterFile && r.letterFileName ? { fileName: r.letterFileName, file: Buffer.from(r.letterFile) } : null;
}
