import { execFile, execFileSync } from "node:child_process";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * Reading printed PDFs back the way a citizen's app and a Poste counter would: rasterised at
 * 300 dpi (poppler), QR codes decoded by zbar, DataMatrix by libdmtx (zbar has no DataMatrix
 * decoder), text extracted with its layout. Debian packages: poppler-utils, zbar-tools,
 * dmtx-utils.
 */
export function missingTools(): string[] {
  const tools: Array<[string, string]> = [
    ["pdftoppm", "poppler-utils"],
    ["pdftotext", "poppler-utils"],
    ["zbarimg", "zbar-tools"],
    ["dmtxread", "dmtx-utils"],
  ];
  return tools
    .filter(([bin]) => {
      try {
        execFileSync("sh", ["-c", `command -v ${bin}`], { stdio: "ignore" });
        return false;
      } catch {
        return true;
      }
    })
    .map(([bin, pkg]) => `${bin} (${pkg})`);
}

export interface Raster {
  pages: string[];
  dispose(): Promise<void>;
}

/** One PNG per page, in page order. */
export async function rasterize(pdf: Buffer, dpi = 300): Promise<Raster> {
  const dir = await mkdtemp(path.join(tmpdir(), "pontepa-pdf-"));
  const file = path.join(dir, "doc.pdf");
  await writeFile(file, pdf);
  await run("pdftoppm", ["-r", String(dpi), "-png", file, path.join(dir, "page")]);
  const pages = (await readdir(dir))
    .filter((f) => f.endsWith(".png"))
    .sort()
    .map((f) => path.join(dir, f));
  return { pages, dispose: () => rm(dir, { recursive: true, force: true }) };
}

/** Every QR code zbar finds on a page (none: empty list). */
export async function decodeQrCodes(png: string): Promise<string[]> {
  try {
    const { stdout } = await run("zbarimg", ["--raw", "-q", "--nodbus", "-Sdisable", "-Sqrcode.enable", png], {
      maxBuffer: 1 << 20,
    });
    return stdout.split("\n").filter(Boolean);
  } catch (err) {
    // zbarimg exits 4 when the image holds no symbol.
    if ((err as { code?: number }).code === 4) return [];
    throw err;
  }
}

/** Up to `expected` square DataMatrix symbols on a page, decoded by dmtxread. */
export async function decodeDataMatrix(png: string, expected: number): Promise<string[]> {
  if (expected === 0) return [];
  const { stdout } = await run("dmtxread", ["-n", "-s", "s", "-N", String(expected), "-m", "60000", png], {
    maxBuffer: 1 << 20,
  }).catch((err) => {
    // dmtxread exits 1 when it finds nothing.
    if ((err as { code?: number }).code === 1) return { stdout: "" };
    throw err;
  });
  return stdout.split("\n").filter(Boolean);
}

/** The text of a PDF with its layout kept (columns stay on one line). */
export async function pdfText(pdf: Buffer): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "pontepa-pdf-"));
  try {
    const file = path.join(dir, "doc.pdf");
    await writeFile(file, pdf);
    const { stdout } = await run("pdftotext", ["-layout", file, "-"], { maxBuffer: 1 << 24 });
    return stdout;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Page texts, split on the form feed pdftotext puts between pages. */
export async function pdfPageTexts(pdf: Buffer): Promise<string[]> {
  const text = await pdfText(pdf);
  return text.split("\f").slice(0, -1);
}
