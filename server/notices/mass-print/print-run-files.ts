import { join } from "node:path";
import { noticesFileName } from "../notice-file-names.ts";

const pad = (part: number) => String(part).padStart(5, "0");

/** Where a part's per-position PDFs go while the run prints. */
export const partDir = (root: string, part: number) => join(root, "parti", pad(part));
/** A part's merged PDF. */
export const partPdf = (root: string, part: number) => join(root, "parti", `${pad(part)}.pdf`);
/** A part's manifest lines (no header). */
export const partCsv = (root: string, part: number) => join(root, "parti", `${pad(part)}.csv`);

/** What a finished run offers for download, by kind. */
export type PrintRunFileKind = "zip" | "pdf" | "manifest";

/**
 * The names of a finished run's files: the notice's own naming (`avvisi-<ipa>-<date>`), the date
 * being the run's, Rome's calendar day.
 */
export function printRunFileNames(ipaCode: string, createdAt: Date): Record<PrintRunFileKind, string> {
  const base = noticesFileName(ipaCode, createdAt).replace(/\.pdf$/, "");
  return { zip: `${base}.zip`, pdf: `${base}.pdf`, manifest: `${base}-elenco.csv` };
}

/** The manifest's header: one line per printed position, in print order. */
export const MANIFEST_HEADER = [
  "progressivo",
  "file",
  "pagina_iniziale",
  "pagine",
  "numeri_avviso",
  "id_posizione",
  "nominativo",
  "indirizzo",
  "cap",
  "comune",
  "provincia",
];
