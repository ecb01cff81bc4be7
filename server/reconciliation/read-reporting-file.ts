import { readFdr1Xml } from "./read-fdr1-xml.ts";
import { readFdr3Json } from "./read-fdr3-json.ts";
import { ReportingFormatError, type ReportingDocument } from "./reporting-document.ts";

/**
 * Reads a reporting-flow document of any supported format, telling the format from the bytes
 * (gzip magic, a JSON object, XML) rather than from a file name. An unreadable or invalid
 * document comes back as `{ kind: "refused", reason }`, never as an exception.
 */
export function readReportingDocument(bytes: Buffer): ReportingDocument {
  try {
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) return readFdr3Json(bytes);
    const text = bytes.toString("utf8").replace(/^\uFEFF/, "");
    const start = text.trimStart()[0];
    if (start === "<") return readFdr1Xml(text);
    if (start === "{" || start === "[") return readFdr3Json(text);
    throw new ReportingFormatError("neither XML nor JSON");
  } catch (err) {
    if (err instanceof ReportingFormatError) return { kind: "refused", reason: err.reason };
    throw err;
  }
}
