// The fault harness's own PostgreSQL and Redis (never the machine's shared ones), the PontePA
// processes it kills and restarts, and a TCP relay in front of PostgreSQL that can "cut the
// network" (stop forwarding without closing, as a partition does).
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { chownSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "../..");
export const PG_BIN = process.env.FAULT_PG_BIN ?? "/usr/lib/postgresql/15/bin";

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** PostgreSQL refuses to run as root: as root the cluster belongs to the `postgres` user. */
function asPostgres(cmd: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ["runuser", ["-u", "postgres", "--", cmd, ...args]] : [cmd, args];
}

export interface OwnPostgres {
  port: number;
  adminUrl(database?: string): string;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startOwnPostgres(): Promise<OwnPostgres> {
  const dir = mkdtempSync(path.join(tmpdir(), "pontepa-faults-pg-"));
  const { uid, gid } = process.getuid?.() === 0 ? await postgresIds() : { uid: -1, gid: -1 };
  if (uid >= 0) chownSync(dir, uid, gid);
  const data = path.join(dir, "data");
  const port = await freePort();
  const pgCtl = path.join(PG_BIN, "pg_ctl");
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=60`;
  await run(...asPostgres(path.join(PG_BIN, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8"]));
  const ctl = (...args: string[]) => run(...asPostgres(pgCtl, ["-D", data, "-l", path.join(dir, "log"), ...args]));
  await ctl("-o", opts, "-w", "start");
  return {
    port,
    adminUrl: (database = "postgres") => `postgresql://postgres@127.0.0.1:${port}/${database}`,
    async restart() {
      await ctl("-m", "fast", "-w", "restart");
    },
    async stop() {
      await ctl("-m", "immediate", "-w", "stop").catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function postgresIds(): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([run("id", ["-u", "postgres"]), run("id", ["-g", "postgres"])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

export interface OwnRedis {
  port: number;
  url: string;
  /** SIGKILL: the data (no persistence) is gone. */
  kill(): Promise<void>;
  start(): Promise<void>;
}

export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const redis: OwnRedis = {
    port,
    url: `redis://127.0.0.1:${port}/0`,
    async start() {
      child = spawn(
        "redis-server",
        ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        {
          stdio: "ignore",
        },
      );
      for (let i = 0; i < 100 && !(await portOpen(port)); i++) await sleep(50);
    },
    async kill() {
      const c = child;
      if (!c || c.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        c.once("exit", () => resolve());
        c.kill("SIGKILL");
      });
    },
  };
  await redis.start();
  return redis;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: "127.0.0.1", port });
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}

/**
 * A TCP relay to PostgreSQL. `cut()` stops forwarding in both directions without closing any
 * socket (and leaves new connections hanging), which is what a network partition looks like to
 * the client: no RST, only silence. `heal()` resumes; bytes held meanwhile are then delivered.
 */
export interface Relay {
  port: number;
  cut(): void;
  heal(): void;
  close(): Promise<void>;
}

export async function startRelay(targetPort: number): Promise<Relay> {
  let cut = false;
  const paused = new Set<net.Socket>();
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect({ host: "127.0.0.1", port: targetPort });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
      if (cut) {
        s.pause();
        paused.add(s);
      }
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    port,
    cut() {
      cut = true;
      for (const s of sockets) {
        s.pause();
        paused.add(s);
      }
    },
    heal() {
      cut = false;
      for (const s of paused) s.resume();
      paused.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface PontepaProcess {
  role: string;
  port: number;
  child: ChildProcess;
  exited: Promise<number | null>;
  /** The process's TMPDIR: its Chromium profile lives there, which finds a Chromium it left. */
  tmp: string;
}

/** Starts `server/main.ts --role=<role>` in its own process group and waits for /readyz. */
export async function startPontepa(
  role: "api" | "soap" | "worker" | "scheduler" | "worker,scheduler",
  env: Record<string, string>,
  port?: number,
): Promise<PontepaProcess> {
  port ??= await freePort();
  const portVar = {
    api: "API_PORT",
    soap: "SOAP_PORT",
    worker: "WORKER_METRICS_PORT",
    scheduler: "SCHEDULER_HEALTH_PORT",
    // Beside the worker, the scheduler has no port of its own (the worker's serves the probes).
    "worker,scheduler": "WORKER_METRICS_PORT",
  };
  const tmp = mkdtempSync(path.join(tmpdir(), "pontepa-proc-"));
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts", `--role=${role}`], {
    cwd: root,
    env: { ...process.env, HOST: "127.0.0.1", LOG_LEVEL: "warn", ...env, [portVar[role]]: String(port), TMPDIR: tmp },
    stdio: ["ignore", "ignore", "pipe"],
    detached: true,
  });
  let err = "";
  child.stderr?.on("data", (b: Buffer) => (err = (err + b.toString()).slice(-4_000)));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const proc = { role, port, child, exited, tmp };
  await waitReady(proc, 60_000).catch(async (e: Error) => {
    // Never leave a process that did not become ready running behind a failed test.
    await signal(proc, "SIGKILL");
    throw new Error(`${e.message}\n${err}`);
  });
  return proc;
}

export async function isReady(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(3_000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

export async function waitReady(proc: PontepaProcess, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (proc.child.exitCode !== null) throw new Error(`${proc.role} exited with code ${proc.child.exitCode}`);
    if (await isReady(proc.port)) return;
    await sleep(250);
  }
  throw new Error(`${proc.role} not ready within ${timeoutMs} ms`);
}

/**
 * Sends `signal` to the process group (tsx's loader child included) and waits for the exit. A
 * process killed while rendering a PDF leaves its Chromium running (Puppeteer starts it in a
 * process group of its own): that browser, found by its profile under the process's TMPDIR, is
 * killed too, so a test leaves nothing running.
 */
export async function signal(proc: PontepaProcess, sig: NodeJS.Signals): Promise<number | null> {
  if (proc.child.exitCode === null && proc.child.signalCode === null) {
    try {
      process.kill(-proc.child.pid!, sig);
    } catch {
      // already gone
    }
  }
  const code = await proc.exited;
  killBrowsersUnder(proc.tmp);
  rmSync(proc.tmp, { recursive: true, force: true });
  return code;
}

function killBrowsersUnder(dir: string): void {
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    } catch {
      continue; // gone meanwhile
    }
    if (!cmdline.includes(`--user-data-dir=${dir}`)) continue;
    try {
      process.kill(-Number(pid), "SIGKILL"); // the browser leads its group (zygotes, renderers)
    } catch {
      try {
        process.kill(Number(pid), "SIGKILL");
      } catch {
        // already gone
      }
    }
  }
}

export async function migrate(ownerUrl: string): Promise<void> {
  await run("npx", ["prisma", "migrate", "deploy"], {
    cwd: root,
    env: {
      ...process.env,
      MIGRATE_DATABASE_URL: ownerUrl,
      PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? "/bin/true",
      PRISMA_QUERY_ENGINE_LIBRARY: process.env.PRISMA_QUERY_ENGINE_LIBRARY ?? "/bin/true",
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
    },
  });
}
