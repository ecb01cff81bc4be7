import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { PeakMemory } from "./memory.ts";

const file = path.resolve(import.meta.dirname, "../../docs/benchmarks.md");
const HEADING = "## Payment notices (PDF)";

export interface NoticeBenchFacts {
  positions: number;
  chunkSize: number;
  concurrency: number;
  maxPages: number;
  batch: { notices: number; pages: number; seconds: number; bytes: number; memory: PeakMemory };
  ceiling: { notices: number; pagesPerNotice: number; seconds: number; memory: PeakMemory };
  /** The mass-printing job end to end (startPrintRun, then processPrintRun as the worker runs it). */
  massPrint: { notices: number; pages: number; seconds: number; partSize: number; memory: PeakMemory };
  machine: string;
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const mem = (m: PeakMemory) =>
  `${fmt(m.totalMiB)} MiB (Node ${fmt(m.nodeRssMiB)} RSS, Chromium ${fmt(m.chromiumPssMiB)} PSS / ${fmt(m.chromiumRssMiB)} RSS)`;

/** Prints the figures and, when asked, replaces the notices section of docs/benchmarks.md. */
export function record(f: NoticeBenchFacts, write: boolean): void {
  const rate = f.batch.notices / f.batch.seconds;
  const ceiling = f.ceiling.notices / f.ceiling.seconds;
  const massRate = f.massPrint.notices / f.massPrint.seconds;
  const text = `${HEADING}

\`npm run bench:notices\` (bench/notices/run.ts), run on ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC, ${f.machine}.
${fmt(f.positions)} TARI positions created through \`createPosition\` in a throwaway database (half a
single payment, one page; half a single payment plus three installments, two pages). The batch is
\`renderNoticesBatch\` over all of them: read in keyset pages, laid out (QR codes, Handlebars),
printed ${f.chunkSize} notices per Chromium call with ${f.concurrency} chunks in flight on a pool of ${f.maxPages} pages, each chunk's
page count checked against the plan. The ceiling is the same pool printing one fixed, already-rendered
chunk of ${f.chunkSize} notices (${fmt(f.ceiling.pagesPerNotice, 2)} pages per notice) over and over, ${f.concurrency} at a time, in the same run.
The mass-printing job (*Stampa avvisi*, issue 15) is then run end to end over every printable
position of the council: the selection, parts of ${f.massPrint.partSize} with their checkpoints (two parts printing
at once, committing in order), per-position PDFs, then the zip, the merged PDF and the printer's manifest.

| Run | Notices | Pages | Seconds | Notices/s | Ratio to ceiling | Peak memory |
|---|---:|---:|---:|---:|---:|---|
| ceiling (fixed HTML) | ${fmt(f.ceiling.notices)} | ${fmt(f.ceiling.notices * f.ceiling.pagesPerNotice)} | ${fmt(f.ceiling.seconds, 1)} | ${fmt(ceiling, 1)} | 1.00 | ${mem(f.ceiling.memory)} |
| batch (read, lay out, print) | ${fmt(f.batch.notices)} | ${fmt(f.batch.pages)} | ${fmt(f.batch.seconds, 1)} | ${fmt(rate, 1)} | ${fmt(rate / ceiling, 2)} | ${mem(f.batch.memory)} |
| mass printing (selection to zip) | ${fmt(f.massPrint.notices)} | ${fmt(f.massPrint.pages)} | ${fmt(f.massPrint.seconds, 1)} | ${fmt(massRate, 1)} | ${fmt(massRate / ceiling, 2)} | ${mem(f.massPrint.memory)} |

Target: at least 50 notices per second on the 2-core machine (a 300,000-notice TARI mailing in
under two hours): **${rate >= 50 ? "met" : "missed"}** (${fmt(rate, 1)}/s; 300,000 notices would take ${fmt(300_000 / rate / 3600, 2)} h). Output:
${fmt(f.batch.bytes / 2 ** 20, 1)} MiB of PDF, ${fmt(f.batch.bytes / f.batch.notices / 1024, 1)} KiB per notice.
`;
  console.log(`\n${text}`);
  if (!write) return;
  const current = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmarks\n";
  const start = current.indexOf(HEADING);
  if (start < 0) {
    writeFileSync(file, `${current.trimEnd()}\n\n${text}`);
    return;
  }
  const after = current.indexOf("\n## ", start + HEADING.length);
  const rest = after < 0 ? "" : current.slice(after + 1);
  writeFileSync(file, `${current.slice(0, start)}${text}${rest ? `\n${rest}` : ""}`);
}
