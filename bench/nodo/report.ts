import { existsSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { faultCount, type LoadResult } from "./load.ts";

const file = path.resolve(import.meta.dirname, "../../docs/benchmarks.md");
const HEADING = "## Nodo station";
const INTRO =
  "# Benchmarks\n\nFigures printed by the scripts in bench/, each next to a baseline measured in the same run.\n";
const TARGET_RPS = 2_000;
const TARGET_P99_MS = 50;

export interface ScenarioJournal {
  name: string;
  connections: number;
  /** Requests the load generator issued (including those in flight when the duration ended). */
  sent: number;
  /** nodo_messages rows written for the scenario, counted once the writer went quiet. */
  rows: number;
}

export interface Facts {
  positions: number;
  seconds: number;
  warmup: number;
  poolSize: number;
  workers: number;
  /** How the station reaches PostgreSQL. */
  databaseLink: string;
  activationsLocked: number;
  distinctActivationNavs: number;
  activationPool: number;
  journal: ScenarioJournal[];
  machine: string;
  record: boolean;
}

/** nproc, the CPU model from /proc/cpuinfo and the load average when called. */
export function machine(): string {
  let model = os.cpus()[0]?.model ?? "unknown CPU";
  try {
    model = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1]?.trim() ?? model;
  } catch {
    // not Linux: keep what os.cpus() said
  }
  const load = os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");
  return `${os.availableParallelism()} × ${model} (nproc ${os.availableParallelism()}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average before the run ${load}`;
}

const fmt = (n: number) => Math.round(n).toLocaleString("en");

function table(results: LoadResult[]): string {
  const ceiling = new Map(results.filter((r) => r.name.startsWith("ceiling")).map((r) => [r.connections, r.rps]));
  const rows = results.map((r) => {
    const isCeiling = r.name.startsWith("ceiling");
    const ratio = isCeiling ? "1.00" : (r.rps / (ceiling.get(r.connections) ?? r.rps)).toFixed(3);
    const target =
      r.name === "paVerifyPaymentNotice" ? (r.rps >= TARGET_RPS && r.p99 < TARGET_P99_MS ? "met" : "missed") : "";
    const faults =
      Object.entries(r.faults)
        .map(([code, n]) => `${code} ${fmt(n)}`)
        .join(", ") || "0";
    const ok = isCeiling ? "" : fmt(r.ok);
    return `| ${r.name} | ${r.connections} | ${fmt(r.rps)} | ${r.p50} | ${r.p99} | ${fmt(r.requests)} | ${ok} | ${isCeiling ? "" : faults} | ${r.errors} | ${r.cpuMsPerAnswer?.toFixed(2) ?? "n/a"} | ${isCeiling ? "" : (r.dbCpuMsPerAnswer?.toFixed(2) ?? "n/a")} | ${ratio} | ${target} |`;
  });
  return [
    `| scenario | concurrency | requests/s | p50 ms | p99 ms | answers | OK | faults | errors | server CPU ms/answer | PostgreSQL CPU ms/answer | ratio to ceiling | target (≥ ${fmt(TARGET_RPS)}/s, p99 < ${TARGET_P99_MS} ms) |`,
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}

function journalTable(journal: ScenarioJournal[]): string {
  return [
    "| scenario | concurrency | requests issued | journal rows | kept up |",
    "|---|---|---|---|---|",
    // The generator may issue a request or two per connection that never reaches the server when
    // the duration ends, so "kept up" allows one missing row per connection.
    ...journal.map(
      (j) =>
        `| ${j.name} | ${j.connections} | ${fmt(j.sent)} | ${fmt(j.rows)} | ${j.sent - j.rows <= j.connections ? "yes" : `no (${fmt(j.sent - j.rows)} missing)`} |`,
    ),
  ].join("\n");
}

/** The "## Nodo station" section, figures and how they were made. */
export function section(results: LoadResult[], facts: Facts): string {
  return `${HEADING}

Run on ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC, ${facts.machine}.
${fmt(facts.positions)} positions (one option, one transfer each) in a throwaway database; the station
runs as its own process (\`node --import tsx server/main.ts --role=soap\`, LOG_LEVEL=warn,
SOAP_WORKERS=${facts.workers}, DATABASE_POOL_SIZE=${facts.poolSize} per worker, as pontepa_app under RLS,
PostgreSQL over ${facts.databaseLink}) and autocannon drives it from the benchmark's process
over keep-alive loopback connections, on the same cores as the station and PostgreSQL,
${facts.seconds} s per scenario after ${facts.warmup} s of warm-up per
target. Verifies ask for a random notice; each activation asks for a notice not activated
before (${fmt(facts.distinctActivationNavs)} of ${fmt(facts.activationPool)} used; ${fmt(facts.activationsLocked)} options locked at the end). The ceiling
is a minimal Node \`http\` server (its own process) returning one fixed paVerifyPaymentNoticeRes,
driven by the same generator at the same concurrency in the same run; "ratio to ceiling" is
the station's rate divided by it. "answers" are responses received within the duration; "faults"
are answers with outcome KO (by faultCode); "errors" are transport errors, timeouts and non-2xx;
"server CPU ms/answer" is the CPU time (user + system, from /proc) of the server's processes
(with SOAP_WORKERS > 1 the primary and its workers) during the scenario (for the station
including the journal's writes) divided by its answers, and
"PostgreSQL CPU ms/answer" the same for the backends connected to the bench database.

${table(results)}

Message journal (\`nodo_messages\`, written in batches off the answer's path), counted after each
scenario once the writer went quiet:

${journalTable(facts.journal)}

Reproduce: \`npm run bench:nodo\` (PostgreSQL and Redis as for \`npm test\`; env BENCH_DURATION_S=10,
BENCH_WARMUP_S=2, BENCH_POSITIONS=100000, BENCH_POOL_SIZE=16, BENCH_SOAP_WORKERS=1,
BENCH_DB_SOCKET_DIR and BENCH_NODE_ARGS unset, BENCH_RECORD=0 to print without writing this section). Absolute
figures move with the machine and whatever else runs on it: compare the ratios.
`;
}

/**
 * Prints the figures and, unless `facts.record` is false, replaces only the "## Nodo station"
 * section of docs/benchmarks.md (up to the next "## " heading), leaving every other section as
 * it is; creates the file with a one-line intro when absent.
 */
export function printAndRecord(results: LoadResult[], facts: Facts): void {
  const text = section(results, facts);
  console.log(`\n${text}`);
  for (const r of results)
    if (faultCount(r) && !r.name.startsWith("ceiling"))
      console.log(`[bench] ${r.name} c=${r.connections} faults: ${JSON.stringify(r.faults)}`);
  if (!facts.record) return;
  // Read just before writing: another section of the file may be edited by someone else.
  const current = existsSync(file) ? readFileSync(file, "utf8") : INTRO;
  const start = new RegExp(`^${HEADING}[ \\t]*$`, "m").exec(current)?.index ?? -1;
  if (start < 0) {
    writeFileSync(file, `${current.trimEnd()}\n\n${text}`);
    return;
  }
  const nextHeading = current.slice(start + HEADING.length).search(/^## /m);
  const end = nextHeading < 0 ? current.length : start + HEADING.length + nextHeading;
  const rest = current.slice(end);
  writeFileSync(file, `${current.slice(0, start)}${text}${rest ? `\n${rest}` : ""}`);
}
