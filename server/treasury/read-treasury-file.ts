import { readOpiXml } from "./read-opi-xml.ts";
import { readCsv, readSpreadsheet } from "./read-tabular.ts";
import { TreasuryFormatError, type TreasuryDocument } from "./treasury-document.ts";

/**
 * Reads a treasury journal in any supported layout, told from the bytes: OLE2 (.xls) or ZIP
 * (.xlsx) magic, XML (OPI), else CSV text.
 * @throws TreasuryFormatError with the reason the whole file is refused
 */
export function readTreasuryFile(bytes: Buffer): TreasuryDocument {
  if (bytes.length === 0) throw new TreasuryFormatError("empty file");
  const ole2 = bytes.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]));
  const zip = bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
  if (ole2 || zip) return readSpreadsheet(bytes);
  const text = bytes.toString("utf8").replace(/^\uFEFF/, "");
  if (text.trimStart().startsWith("<")) return readOpiXml(text);
  return readCsv(text);
}
