import cluster, { type Worker } from "node:cluster";
import type { Role } from "./roles.ts";
import { ConfigError } from "../config/env.ts";

/**
 * Whether this process should be the primary of a group of `soap` workers (SOAP_WORKERS > 1).
 * Only a process running the soap role alone forks: the station is CPU-bound in one event loop
 * (docs/benchmarks.md), the other roles are not, and one copy of them per process is enough.
 * @throws ConfigError when SOAP_WORKERS > 1 is combined with other roles
 */
export function shouldForkSoapWorkers(roles: Role[], workers: number): boolean {
  if (workers <= 1 || cluster.isWorker) return false;
  if (roles.length !== 1 || roles[0] !== "soap") {
    throw new ConfigError([
      `SOAP_WORKERS=${workers}: several station workers need --role=soap alone (got --role=${roles.join(",")})`,
    ]);
  }
  return true;
}

/**
 * The primary of the station's workers: forks `count` copies of this process (each runs the
 * soap role on the same port, node:cluster hands them the connections in turn), replaces one
 * that dies unexpectedly (at most once a second), and on SIGTERM/SIGINT stops them all and
 * exits once they have. It opens no database or Redis connection itself.
 */
export function runSoapPrimary(count: number, log: (message: string) => void): void {
  let stopping = false;
  let lastRestart = 0;
  const fork = (): Worker => cluster.fork();
  for (let i = 0; i < count; i++) fork();
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(); // 0, or 78 after a refusal (exitCode)
      return;
    }
    // 78 (EX_CONFIG) is a boot check's refusal: every replacement would refuse the same way.
    if (code === 78) {
      log(`soap worker ${worker.process.pid} refused to start (configuration); stopping`);
      process.exitCode = 78;
      stop("SIGTERM");
      return;
    }
    log(`soap worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
    const wait = Math.max(0, lastRestart + 1_000 - Date.now());
    lastRestart = Date.now() + wait;
    setTimeout(fork, wait);
  });
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => Boolean(w));
    if (workers.length === 0) process.exit(); // 0, or 78 after a refusal (exitCode)
    for (const w of workers) w.process.kill(signal);
    // Bounded like a single process: workers stop within 15 s or are cut off.
    setTimeout(() => process.exit(1), 20_000).unref();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}
