import { Transform, type Readable } from "node:stream";
import yauzl from "yauzl";
import { AppError } from "../platform/errors.ts";

export interface ZipLimits {
  /** Entries in the archive (an XLSX has about ten; a MyPay zip one). */
  maxEntries: number;
  /** Sum of the declared uncompressed sizes. */
  maxUncompressedBytes: number;
  /** Uncompressed / compressed per entry: text compresses 5–20×, a bomb 1000×. */
  maxRatio: number;
}

export interface ZipEntryInfo {
  name: string;
  uncompressedSize: number;
}

const invalid = (message: string) => new AppError("IMPORT_FILE_INVALID", message, 422);

/**
 * Reads a zip's central directory and refuses what could hurt the worker before anything is
 * inflated: too many entries, names that climb out of a folder or are absolute (path traversal,
 * never extracted to disk anyway), more declared bytes than allowed or a suspicious ratio (zip
 * bombs). Streams opened by `openZipEntry` also count what really comes out (yauzl checks the
 * declared size; we stop at the limit whatever the header claims).
 */
export async function inspectZip(path: string, limits: ZipLimits): Promise<ZipEntryInfo[]> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(path, { lazyEntries: true, strictFileNames: true, validateEntrySizes: true });
  } catch (err) {
    throw invalid(`Archivio zip non leggibile: ${(err as Error).message}`);
  }
  try {
    if (zip.entryCount > limits.maxEntries) throw invalid(`L'archivio contiene ${zip.entryCount} file: troppi`);
    const entries: ZipEntryInfo[] = [];
    let total = 0;
    for await (const entry of zip.eachEntry()) {
      const name = entry.fileName;
      if (name.startsWith("/") || name.includes("\\") || name.split("/").includes("..") || /^[A-Za-z]:/.test(name))
        throw invalid(`Nome non ammesso nell'archivio: ${name}`);
      total += entry.uncompressedSize;
      if (total > limits.maxUncompressedBytes) throw invalid("L'archivio decompresso supera la dimensione massima");
      if (
        entry.uncompressedSize > 1024 * 1024 &&
        entry.uncompressedSize > limits.maxRatio * Math.max(1, entry.compressedSize)
      )
        throw invalid(`Rapporto di compressione sospetto per ${name}`);
      entries.push({ name, uncompressedSize: entry.uncompressedSize });
    }
    return entries;
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw invalid(`Archivio zip non valido: ${(err as Error).message}`);
  } finally {
    zip.close();
  }
}

/** One entry's bytes as a stream, cut off with an error past `maxBytes`. */
export async function openZipEntry(path: string, name: string, maxBytes: number): Promise<Readable> {
  const zip = await yauzl.openPromise(path, { lazyEntries: true, strictFileNames: true, validateEntrySizes: true });
  for await (const entry of zip.eachEntry()) {
    if (entry.fileName !== name) continue;
    const raw = await zip.openReadStreamPromise(entry);
    let seen = 0;
    const guard = new Transform({
      transform(chunk: Buffer, _enc, done) {
        seen += chunk.length;
        if (seen > maxBytes) done(invalid("L'archivio decompresso supera la dimensione massima"));
        else done(null, chunk);
      },
    });
    raw.on("error", (err) => guard.destroy(err));
    guard.on("close", () => zip.close());
    return raw.pipe(guard);
  }
  zip.close();
  throw invalid(`File ${name} non trovato nell'archivio`);
}
