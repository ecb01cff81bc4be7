import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { LoadResult } from "./load.ts";

const file = path.resolve(import.meta.dirname, "../../docs/benchmarks.md");
const TARGET_RPS = 2_000;
const TARGET_P99_MS = 50;

/** Prints the table and rewrites the "## Nodo station" section of docs/benchmarks.md. */
export function printAndRecord(results: LoadResult[], facts: { positions: number; seconds: number; activationsLocked: number; journalRows: number; cpu: string }): void {
  const ceiling = new Map(results.filter((r) => r.name.startsWith("ceiling")).map((r) => [r.connections, r.rps]));
  const rows = results.map((r) => {
    const ratio = r.name.startsWith("ceiling") ? "1.00" : (r.rps / (ceiling.get(r.connections) ?? r.rps)).toFixed(2);
    const target = r.name === "paVerifyPaymentNotice" ? (r.rps >= TARGET_RPS && r.p99 < TARGET_P99_MS ? "met" : "missed") : "";
    return `| ${r.name} | ${r.connections} | ${Math.round(r.rps)} | ${r.p50} | ${r.p99} | ${r.requests} | ${r.errors} | ${ratio} | ${target} |`;
  });
  const table = [
    "| scenario | concurrency | requests/s | p50 ms | p99 ms | requests | errors | ratio to ceiling | target (≥ 2,000/s, p99 < 50 ms) |",
    "|---|---|---|---|---|---|---|---|---|",
    ...rows,
  ].join("\n");
  const section = `## Nodo station

Run on ${new Date().toISOString().slice(0, 10)}, ${facts.cpu}; ${facts.positions.toLocaleString("en")} positions in the database,
${facts.seconds} s per scenario, station as its own process (\`--role=soap\`), load from autocannon in another
process, both on loopback. The ceiling is a minimal Node HTTP server returning one fixed verify answer,
measured in the same run. Activations that took a lock: ${facts.activationsLocked.toLocaleString("en")}; journal rows written:
${facts.journalRows.toLocaleString("en")}. Reproduce with \`npm run bench:nodo\` (BENCH_DURATION_S, BENCH_POSITIONS).

${table}
`;
  console.log(`\n${section}`);
  const current = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmarks\n\nFigures printed by the scripts in bench/, each next to a baseline measured in the same run.\n";
  const start = current.indexOf("## Nodo station");
  let next = start < 0 ? -1 : current.indexOf("\n## ", start + 3);
  if (next < 0) next = current.length;
  const updated = start < 0 ? `${current.trimEnd()}\n\n${section}` : `${current.slice(0, start)}${section}${current.slice(next)}`;
  writeFileSync(file, updated.trimEnd() + "\n");
}
