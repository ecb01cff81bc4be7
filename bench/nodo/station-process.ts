// The processes under test: the real `soap` role and the ceiling server, each in its own process
// so the load generator never shares their event loop.
import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { PRODUCTION_TEST_ENV } from "../../server/test/production-env.ts";

const root = path.resolve(import.meta.dirname, "../..");
const children = new Set<ChildProcess>();

export interface Served {
  url: string;
  process: ChildProcess;
}

/** Asks the kernel for a free loopback port (released at once; the child binds it right after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function spawnTs(script: string, args: string[], env: NodeJS.ProcessEnv, nodeArgs: string[] = []): ChildProcess {
  const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", script, ...args], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

/** Polls `url` (bounded: 30 s) until it answers, failing early if the child died. */
async function waitUntilUp(url: string, child: ChildProcess, init: RequestInit = {}): Promise<void> {
  for (let i = 0; i < 120; i++) {
    if (child.exitCode !== null) throw new Error(`${url}: process exited with code ${child.exitCode}`);
    try {
      const res = await fetch(url, init);
      await res.arrayBuffer();
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not come up within 30 s`);
}

function answersOnFreshConnection(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host: "127.0.0.1", port, path: "/healthz", agent: false, timeout: 2_000 }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode === 200));
    });
    req.on("error", () => resolve(false));
    req.on("timeout", () => req.destroy());
  });
}

export interface StationEnv {
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  poolSize: number;
  /** SOAP_WORKERS: station processes (node:cluster) sharing the port. */
  workers: number;
  /** Extra Node/V8 flags for the station (e.g. `--max-semi-space-size=32`), to measure them. */
  nodeArgs: string[];
  /** When set, the station writes a V8 CPU profile there on exit (--cpu-prof). */
  cpuProfileDir?: string;
}

/**
 * Starts `server/main.ts --role=soap` against the bench database as pontepa_app; with
 * `workers` > 1 it is a node:cluster primary and the workers answer. Waits until every worker
 * answers /healthz (connections are handed out in turn, so `workers` × 2 answers in a row).
 */
export async function startStation(env: StationEnv): Promise<Served> {
  const port = await freePort();
  const child = spawnTs(
    "server/main.ts",
    ["--role=soap"],
    {
      ...process.env,
      // What production requires beyond NODE_ENV, kept in one list with the tests' production
      // mode, so a new production check cannot leave the bench's station unable to start.
      // The station calls none of those URLs and reads none of those secrets.
      ...PRODUCTION_TEST_ENV,
      DATABASE_URL: env.databaseUrl,
      REDIS_URL: env.redisUrl,
      QUEUE_PREFIX: env.queuePrefix,
      DATABASE_POOL_SIZE: String(env.poolSize),
      SOAP_WORKERS: String(env.workers),
      HOST: "127.0.0.1",
      SOAP_PORT: String(port),
      LOG_LEVEL: "warn",
    },
    [...env.nodeArgs, ...(env.cpuProfileDir ? ["--cpu-prof", `--cpu-prof-dir=${env.cpuProfileDir}`] : [])],
  );
  child.stdout?.pipe(process.stderr); // warnings and errors of the station stay visible
  await waitUntilUp(`http://127.0.0.1:${port}/healthz`, child);
  // fetch keeps its connection (so its worker): ask again on fresh connections until they all answer.
  for (let i = 0, up = 0; up < env.workers * 2; i++) {
    if (i > 240) throw new Error("station workers did not all come up within 60 s");
    if (await answersOnFreshConnection(port)) up++;
    else await new Promise((r) => setTimeout(r, 250));
  }
  return { url: `http://127.0.0.1:${port}/nodo/paForNode`, process: child };
}

/** Starts the ceiling server on a free port (it prints the port it bound). */
export async function startCeiling(): Promise<Served> {
  const child = spawnTs("bench/nodo/ceiling-server.ts", [], { ...process.env, CEILING_PORT: "0" });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("ceiling server did not start within 30 s")), 30_000);
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`ceiling server exited with code ${code}`));
    });
  });
  const url = `http://127.0.0.1:${port}/`;
  await waitUntilUp(url, child, { method: "POST", body: "" });
  return { url, process: child };
}

/** Stops every child still running: SIGTERM, then SIGKILL after `graceMs`. */
export async function stopAll(graceMs = 5_000): Promise<void> {
  const running = [...children].filter((c) => c.exitCode === null && c.signalCode === null);
  await Promise.all(
    running.map(
      (c) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            c.kill("SIGKILL");
            resolve();
          }, graceMs);
          c.once("exit", () => {
            clearTimeout(timer);
            resolve();
          });
          c.kill("SIGTERM");
        }),
    ),
  );
}
