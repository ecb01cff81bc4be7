import { createReadStream, createWriteStream } from "node:fs";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { PDFDocument } from "pdf-lib";
import yazl from "yazl";
import { MANIFEST_HEADER, partCsv, partDir, partPdf, printRunFileNames } from "./print-run-files.ts";

/**
 * Turns a run's committed parts into what the council downloads, each written under a temporary
 * name and renamed into place (so a worker killed while assembling leaves nothing half-written
 * under the final name, and the retried job simply assembles again):
 * - the zip of per-position PDFs (`avviso-<NAV>-<ipa>.pdf`), in print order;
 * - one merged PDF of every notice, in the same order, for the postal printer;
 * - the manifest (`-elenco.csv`, `;`): progressive number, file, first page in the merged PDF,
 *   pages, notice numbers, debtor's name and address.
 * The merged PDF is built by copying pages (pdf-lib), one part loaded at a time; the document
 * being built stays in memory, which is fine for a run of thousands of notices.
 */
export async function assemblePrintRun(root: string, ipaCode: string, createdAt: Date, parts: number): Promise<void> {
  const names = printRunFileNames(ipaCode, createdAt);
  const manifest: string[][] = [];
  const zip = new yazl.ZipFile();
  const merged = await PDFDocument.create({ updateMetadata: false });
  merged.setTitle(`Avvisi di pagamento pagoPA ${ipaCode}`);
  for (let part = 1; part <= parts; part++) {
    const lines = parse(await readFile(partCsv(root, part)), { delimiter: ";" }) as string[][];
    if (lines.length === 0) continue;
    manifest.push(...lines);
    for (const line of lines) zip.addFile(join(partDir(root, part), line[1]!), line[1]!, { compress: false });
    const source = await PDFDocument.load(await readFile(partPdf(root, part)), { updateMetadata: false });
    for (const page of await merged.copyPages(source, source.getPageIndices())) merged.addPage(page);
  }
  zip.end();
  const zipTemp = join(root, `.${names.zip}.tmp`);
  await pipeline(zip.outputStream, createWriteStream(zipTemp));
  await rename(zipTemp, join(root, names.zip));

  const pdfTemp = join(root, `.${names.pdf}.tmp`);
  await writeFile(pdfTemp, await merged.save());
  await rename(pdfTemp, join(root, names.pdf));

  const csvTemp = join(root, `.${names.manifest}.tmp`);
  await writeFile(csvTemp, stringify([MANIFEST_HEADER, ...manifest], { delimiter: ";" }));
  await rename(csvTemp, join(root, names.manifest));
}

/** Streams one of a finished run's files. */
export function printRunFileStream(root: string, fileName: string) {
  return createReadStream(join(root, fileName));
}

/** Removes a run's working parts once assembled (kept until then for resuming). */
export async function removeParts(root: string): Promise<void> {
  await rm(join(root, "parti"), { recursive: true, force: true });
}
