// CPU accounting from /proc: how much processor time the server and PostgreSQL spend per answer.
import { readdirSync, readFileSync } from "node:fs";
import type pg from "pg";

/**
 * CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat; null where /proc
 * is not available. Divided by the answers of a scenario it gives the station's CPU per answer.
 */
export function cpuSeconds(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may contain spaces) start at ") ".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/** Live child pids of a process (all its threads' children), from /proc; empty where unavailable. */
function childPids(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
      readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8").split(" ").filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
}

/**
 * CPU seconds of a process and all its live descendants: the station run with SOAP_WORKERS > 1
 * is a node:cluster primary whose workers do the work. Workers that stop between two readings
 * lose their share (none do during a run).
 */
export function treeCpuSeconds(pid: number | undefined): number | null {
  const own = cpuSeconds(pid);
  if (own === null || !pid) return own;
  return childPids(pid).reduce((sum, child) => sum + (treeCpuSeconds(child) ?? 0), own);
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

/**
 * CPU seconds used so far by each PostgreSQL backend connected to `database` (other than the
 * asking connection), by pid. A scenario's database CPU is the growth of these between two
 * readings (backends that appear count in full; ones that disappear lose their share).
 */
export async function backendCpu(client: pg.Client, database: string): Promise<Map<number, number>> {
  const { rows } = await client.query<{ pid: number }>(
    "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
    [database],
  );
  const out = new Map<number, number>();
  for (const { pid } of rows) {
    const s = cpuSeconds(pid);
    if (s !== null) out.set(pid, s);
  }
  return out;
}

/** CPU seconds the backends used between two `backendCpu` readings. */
export function backendCpuDelta(before: Map<number, number>, after: Map<number, number>): number {
  let sum = 0;
  for (const [pid, s] of after) sum += s - (before.get(pid) ?? 0);
  return sum;
}
