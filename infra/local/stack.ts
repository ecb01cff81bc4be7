/**
 * The embedded default stack: reuse PostgreSQL and Redis when they answer, otherwise start
 * local instances with their data under .data/ (installing the Debian packages when running as
 * root). Used by `npm run demo` and `npm test`.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, chownSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import pg from "pg";

const root = path.resolve(import.meta.dirname, "../..");
export const dataDir = path.join(root, ".data");

export interface StackUrls {
  /** Owner connection (migrations, seed bootstrap). */
  migrateUrl: string;
  /** The application's connection, as the RLS-bound role. */
  databaseUrl: string;
  redisUrl: string;
  /** Stops the servers this call started (none when it reused running ones). */
  stop(): void;
}

const log = (msg: string) => console.log(`[stack] ${msg}`);

function portOpen(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

async function waitFor(what: string, check: () => Promise<boolean>, seconds = 30): Promise<void> {
  for (let i = 0; i < seconds * 4; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not come up within ${seconds} s`);
}

const isRoot = () => process.getuid?.() === 0;

function aptInstall(pkgs: string[]): void {
  if (!isRoot()) {
    throw new Error(
      `Missing ${pkgs.join(", ")}. Install them (Debian: sudo apt-get install -y ${pkgs.join(" ")}) or set the URLs of running servers.`,
    );
  }
  log(`installing ${pkgs.join(", ")} with apt-get`);
  execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit" });
  execFileSync("apt-get", ["install", "-y", "-qq", ...pkgs], {
    stdio: "inherit",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
}

function postgresBin(): string | undefined {
  const base = "/usr/lib/postgresql";
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base).sort((a, b) => Number(b) - Number(a));
  return versions.map((v) => path.join(base, v, "bin")).find((dir) => existsSync(path.join(dir, "initdb")));
}

async function ensurePostgres(url: URL): Promise<(() => void) | undefined> {
  const host = url.hostname;
  const port = Number(url.port || 5432);
  if (await portOpen(host, port)) {
    log(`reusing PostgreSQL at ${host}:${port}`);
    return undefined;
  }
  if (!["127.0.0.1", "localhost"].includes(host)) throw new Error(`PostgreSQL at ${host}:${port} does not answer`);
  let bin = postgresBin();
  if (!bin) {
    aptInstall(["postgresql"]);
    bin = postgresBin();
    if (!bin) throw new Error("PostgreSQL binaries not found after install");
  }
  const pgData = path.join(dataDir, "postgres");
  // initdb and postgres refuse to run as root: run them as the postgres system user.
  const asPg = (cmd: string, args: string[]) =>
    isRoot()
      ? spawnSync("runuser", ["-u", "postgres", "--", cmd, ...args], { stdio: "inherit" })
      : spawnSync(cmd, args, { stdio: "inherit" });
  if (!existsSync(path.join(pgData, "PG_VERSION"))) {
    mkdirSync(pgData, { recursive: true });
    if (isRoot()) {
      const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
      const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
      chownSync(pgData, uid, gid);
    }
    log(`initialising PostgreSQL in ${pgData}`);
    const r = asPg(path.join(bin, "initdb"), [
      "-D",
      pgData,
      "-U",
      "postgres",
      "--auth=trust",
      "-E",
      "UTF8",
      "--locale=C.UTF-8",
    ]);
    if (r.status !== 0) throw new Error("initdb failed");
  }
  log(`starting PostgreSQL on ${host}:${port}`);
  const r = asPg(path.join(bin, "pg_ctl"), [
    "-D",
    pgData,
    "-l",
    path.join(pgData, "server.log"),
    "-w",
    "-o",
    `-p ${port} -k /tmp -c listen_addresses=127.0.0.1`,
    "start",
  ]);
  if (r.status !== 0) throw new Error(`pg_ctl start failed; see ${path.join(pgData, "server.log")}`);
  await waitFor("PostgreSQL", () => portOpen(host, port));
  return () => {
    log("stopping PostgreSQL");
    asPg(path.join(bin, "pg_ctl"), ["-D", pgData, "-m", "fast", "-w", "stop"]);
  };
}

async function ensureRedis(url: URL): Promise<(() => void) | undefined> {
  const host = url.hostname;
  const port = Number(url.port || 6379);
  if (await portOpen(host, port)) {
    log(`reusing Redis at ${host}:${port}`);
    return undefined;
  }
  if (!["127.0.0.1", "localhost"].includes(host)) throw new Error(`Redis at ${host}:${port} does not answer`);
  if (spawnSync("which", ["redis-server"]).status !== 0) aptInstall(["redis-server"]);
  const dir = path.join(dataDir, "redis");
  mkdirSync(dir, { recursive: true });
  log(`starting Redis on ${host}:${port}`);
  execFileSync("redis-server", [
    "--daemonize",
    "yes",
    "--bind",
    "127.0.0.1",
    "--port",
    String(port),
    "--dir",
    dir,
    "--logfile",
    path.join(dir, "redis.log"),
    "--save",
    "60 1000",
    "--appendonly",
    "no",
  ]);
  await waitFor("Redis", () => portOpen(host, port));
  return () => {
    log("stopping Redis");
    spawnSync("redis-cli", ["-h", host, "-p", String(port), "shutdown", "save"], { stdio: "ignore" });
  };
}

/** Creates the database when missing (connecting to the maintenance database). */
async function ensureDatabase(migrateUrl: string): Promise<void> {
  const url = new URL(migrateUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  const admin = new URL(migrateUrl);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (found.rowCount === 0) {
      log(`creating database ${name}`);
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
    }
  } finally {
    await client.end();
  }
}

/** Starts or reuses PostgreSQL and Redis and makes sure the database exists. */
export async function ensureStack(env: NodeJS.ProcessEnv = process.env): Promise<StackUrls> {
  const migrateUrl = env.MIGRATE_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/pontepa";
  const databaseUrl = env.DATABASE_URL ?? "postgresql://pontepa_app@127.0.0.1:5432/pontepa";
  const redisUrl = env.REDIS_URL ?? "redis://127.0.0.1:6379/0";
  const stoppers = [await ensurePostgres(new URL(migrateUrl)), await ensureRedis(new URL(redisUrl))];
  await ensureDatabase(migrateUrl);
  return {
    migrateUrl,
    databaseUrl,
    redisUrl,
    stop: () => stoppers.forEach((stop) => stop?.()),
  };
}

/** Applies the migrations with Prisma (offline: WASM engine through the pg adapter). */
export function migrate(migrateUrl: string): void {
  log("applying migrations");
  execFileSync("npx", ["prisma", "migrate", "deploy"], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    env: prismaEnv({ MIGRATE_DATABASE_URL: migrateUrl }),
  });
}

export function prismaEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    // Prisma 6 checks for engine files it does not use with the client engine; see docs.
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? "/bin/true",
    PRISMA_QUERY_ENGINE_LIBRARY: process.env.PRISMA_QUERY_ENGINE_LIBRARY ?? "/bin/true",
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    ...extra,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const urls = await ensureStack();
  if (process.argv.includes("--migrate")) migrate(urls.migrateUrl);
  log("PostgreSQL and Redis are ready");
  if (process.argv.includes("--stop")) urls.stop();
}
