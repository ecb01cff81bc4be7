import { createReadStream } from "node:fs";
import { AppError } from "../platform/errors.ts";
import type { ImportRecord } from "./record.ts";
import { readGovpayCsv } from "./formats/govpay-csv.ts";
import { parseMypayFileName, readMypayCsv } from "./formats/mypay.ts";
import { nativeRecords, readNativeCsv } from "./formats/native.ts";
import { xlsxRows } from "./formats/xlsx-rows.ts";
import { inspectZip, openZipEntry, type ZipLimits } from "./zip.ts";

export type ImportFormat = "NATIVE_CSV" | "NATIVE_XLSX" | "MYPAY" | "GOVPAY";

const invalid = (message: string) => new AppError("IMPORT_FILE_INVALID", message, 422);

export const zipLimits = (maxBytes: number): ZipLimits => ({
  maxEntries: 100,
  maxUncompressedBytes: maxBytes * 10,
  maxRatio: 200,
});

/**
 * Which layout a file is, from its name and first bytes: a MyPay zip by its name's rule, an
 * XLSX by its extension and zip signature, a GovPay CSV by its header (idA2A first), else the
 * native CSV (its header must then name our columns, checked when read).
 */
export function detectFormat(fileName: string, head: Buffer): ImportFormat {
  const lower = fileName.toLowerCase();
  const isZip = head.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
  if (lower.endsWith(".zip")) {
    if (!isZip) throw invalid("Il file .zip non è un archivio zip");
    if (!parseMypayFileName(fileName))
      throw invalid("Nome del file MyPay non valido: <codiceIpa>-<nome flusso>-<versione 1_0…1_4>.zip");
    return "MYPAY";
  }
  if (lower.endsWith(".xlsx")) {
    if (!isZip) throw invalid("Il file .xlsx non è un foglio Excel valido");
    return "NATIVE_XLSX";
  }
  if (isZip) throw invalid("Archivio zip con un nome non riconosciuto");
  const text = head.toString("utf8").replace(/^\uFEFF/, "");
  if (/^"?idA2A"?,/.test(text)) return "GOVPAY";
  return "NATIVE_CSV";
}

/** The records of a stored file, streamed: never more than one group of rows in memory. */
export async function* readRecords(
  file: { format: ImportFormat; storagePath: string; fileName: string },
  tenant: { fiscalCode: string },
  maxBytes: number,
): AsyncGenerator<ImportRecord> {
  switch (file.format) {
    case "GOVPAY":
      yield* readGovpayCsv(createReadStream(file.storagePath), tenant.fiscalCode);
      return;
    case "NATIVE_CSV":
      yield* readNativeCsv(createReadStream(file.storagePath));
      return;
    case "NATIVE_XLSX":
      await inspectZip(file.storagePath, zipLimits(maxBytes));
      yield* nativeRecords(xlsxRows(file.storagePath));
      return;
    case "MYPAY": {
      const name = parseMypayFileName(file.fileName);
      if (!name) throw invalid("Nome del file MyPay non valido");
      const entries = (await inspectZip(file.storagePath, zipLimits(maxBytes))).filter((e) => !e.name.endsWith("/"));
      const csv = entries.filter((e) => /\.(csv|txt)$/i.test(e.name));
      if (entries.length !== 1 || csv.length !== 1) throw invalid("L'archivio MyPay deve contenere un solo file CSV");
      const stream = await openZipEntry(file.storagePath, csv[0]!.name, maxBytes * 10);
      yield* readMypayCsv(stream, name.version);
      return;
    }
  }
}
