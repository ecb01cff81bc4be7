import pg from "pg";
import { AppError } from "../errors.ts";
import { ReadCoalescer, type QueuedRead } from "./read-coalescer.ts";

/**
 * One statement of the hot path, prepared once per connection (PREPARE) under `name` so
 * PostgreSQL parses and plans it once and reuses the plan (the Nodo's notice read takes
 * milliseconds to plan and a fraction of that to run, see docs/benchmarks.md). A name must
 * always carry the same text. Parameters are `$1`, `$2`…; give a cast where the type is not
 * clear from the context (PostgreSQL infers the others, e.g. `nav = $2` as char(18)).
 */
export interface Statement {
  name: string;
  text: string;
}

export interface FastTxOptions {
  /** Bounds each statement and each row-lock wait (statement_timeout / lock_timeout). */
  statementTimeoutMs?: number;
  /** The whole unit of work: past it, the next statement fails and the transaction rolls back. */
  timeoutMs?: number;
}

export type Row = Record<string, unknown>;
export type Call = readonly [statement: Statement, values: readonly unknown[]];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const REASON = /^[A-Za-z0-9 :._/-]{1,100}$/;
const NAME = /^[a-z][a-z0-9_.]{0,62}$/;

/** Statements already prepared on each connection (prepared statements live as long as it). */
const preparedOn = new WeakMap<pg.PoolClient, Set<string>>();

/**
 * A string as an SQL literal, as pg's escapeLiteral makes it (quotes doubled; with a backslash
 * present, backslashes doubled too and the E'' form, which reads them the same whatever
 * standard_conforming_strings says), but with native replaces instead of a loop per character:
 * the journal sends whole SOAP messages this way.
 */
export function quoteLiteral(s: string): string {
  const quoted = s.replace(/'/g, "''");
  return s.includes("\\") ? ` E'${quoted.replace(/\\/g, "\\\\")}'` : `'${quoted}'`;
}

/** A value as an SQL literal for EXECUTE: no value can end its literal; only these types pass. */
function literal(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new AppError("SQL_VALUE_INVALID", "Not a finite number", 500);
    return String(value);
  }
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (value instanceof Date) return quoteLiteral(value.toISOString());
  if (typeof value === "string") return quoteLiteral(value);
  return quoteLiteral(JSON.stringify(value));
}

function execute([statement, values]: Call): string {
  return values.length
    ? `EXECUTE "${statement.name}"(${values.map(literal).join(", ")})`
    : `EXECUTE "${statement.name}"`;
}

async function prepare(client: pg.PoolClient, calls: readonly Call[]): Promise<void> {
  let done = preparedOn.get(client);
  if (!done) preparedOn.set(client, (done = new Set()));
  for (const [statement] of calls) {
    if (done.has(statement.name)) continue;
    if (!NAME.test(statement.name))
      throw new AppError("SQL_NAME_INVALID", `Not a statement name: ${statement.name}`, 500);
    // PREPARE is not transactional: it survives a rollback of the unit of work it ran in.
    await client.query(`PREPARE "${statement.name}" AS ${statement.text}`);
    done.add(statement.name);
  }
}

/** Sends `prefix` and the calls as one simple-query message; returns each call's rows. */
async function send(
  client: pg.PoolClient,
  prefix: string[],
  calls: readonly Call[],
  suffix: string[] = [],
): Promise<Row[][]> {
  await prepare(client, calls);
  const sql = [...prefix, ...calls.map(execute), ...suffix].join("; ");
  const raw = (await client.query(sql)) as unknown as pg.QueryResult<Row> | Array<pg.QueryResult<Row>>;
  const results = Array.isArray(raw) ? raw : [raw];
  return results.slice(prefix.length, prefix.length + calls.length).map((r) => r.rows);
}

/**
 * The transaction a unit of work runs in. Its first message also carries BEGIN and the RLS
 * settings, and `commit` sends the last statements together with COMMIT, so an activation
 * (lock, read; then write) is two round trips.
 */
export class FastTx {
  private pendingBegin: string[] | null;
  committed = false;

  constructor(
    private readonly client: pg.PoolClient,
    begin: string[],
    private readonly deadline: number,
  ) {
    this.pendingBegin = begin;
  }

  /** Runs the calls in one round trip, in order; returns each one's rows. */
  async batch(calls: readonly Call[], options: { commit?: boolean } = {}): Promise<Row[][]> {
    if (this.committed) throw new AppError("TX_FINISHED", "The unit of work already committed", 500);
    if (Date.now() > this.deadline) throw new AppError("TX_TIMEOUT", "Transaction budget exhausted", 503);
    const prefix = this.pendingBegin ?? [];
    this.pendingBegin = null;
    const rows = await send(this.client, prefix, calls, options.commit ? ["COMMIT"] : []);
    if (options.commit) this.committed = true;
    return rows;
  }

  async query<R = Row>(
    statement: Statement,
    values: readonly unknown[],
    options: { commit?: boolean } = {},
  ): Promise<R[]> {
    const [rows] = await this.batch([[statement, values]], options);
    return rows as R[];
  }

  /**
   * One parameterised statement by the extended protocol (an unnamed statement, values bound,
   * not inlined): for bulk writes whose parameters are whole arrays (`INSERT … SELECT FROM
   * unnest($1::text[], …)`), where a literal in an EXECUTE would be as long as the data.
   * The transaction's BEGIN and settings go first, in their own message.
   */
  async run<R = Row>(text: string, values: readonly unknown[]): Promise<R[]> {
    if (this.committed) throw new AppError("TX_FINISHED", "The unit of work already committed", 500);
    if (Date.now() > this.deadline) throw new AppError("TX_TIMEOUT", "Transaction budget exhausted", 503);
    if (this.pendingBegin) {
      await this.client.query(this.pendingBegin.join("; "));
      this.pendingBegin = null;
    }
    return (await this.client.query<R & pg.QueryResultRow>(text, values as unknown[])).rows;
  }

  /** Whether anything was sent yet (BEGIN goes out with the first statement). */
  get started(): boolean {
    return this.pendingBegin === null;
  }
}

/**
 * The Nodo station's hot-path door to PostgreSQL: a plain `pg` pool next to Prisma, connected
 * with the same URL, so as the same RLS-bound role (pontepa_app: NOSUPERUSER NOBYPASSRLS).
 * Prisma's client engine costs ~3 ms of CPU per model query and its interactive transactions
 * several round trips; here a unit of work sends BEGIN, the RLS settings and its first
 * statements in one message, each statement a prepared one executed by name (docs/decisions/0004).
 *
 * The guarantees are those of `Database`: the settings are local to the transaction, so a
 * connection goes back to the pool with no tenant set, and statements outside `withTenant` /
 * `withPlatformScope` / `readAsTenant` see no tenant-owned rows (fail closed). Everything else
 * of the platform keeps using Prisma.
 */
export class FastSql {
  private pool: pg.Pool | null = null;

  constructor(private readonly options: { url: string; poolSize?: number }) {}

  /** The pool is opened on first use, so roles that never take the hot path open no connections. */
  private get connections(): pg.Pool {
    if (!this.pool) {
      this.pool = new pg.Pool({
        connectionString: this.options.url,
        max: this.options.poolSize ?? 10,
        connectionTimeoutMillis: 5_000,
      });
      // An idle connection dropped by the server must not crash the process; the pool replaces it.
      this.pool.on("error", () => undefined);
    }
    return this.pool;
  }

  /**
   * The settings statement of a tenant's unit of work. The id is checked to be a UUID and the
   * timeout is an integer before they are written into the text (the settings travel in the
   * same message as the statements, where no parameters can be bound).
   */
  private tenantSettings(tenantId: string, options: FastTxOptions): string {
    if (!UUID.test(tenantId)) throw new AppError("TENANT_ID_INVALID", `Not a tenant id: ${tenantId}`, 400);
    let settings = `SELECT set_config('app.tenant_id', '${tenantId.toLowerCase()}', true)`;
    if (options.statementTimeoutMs) {
      const ms = Math.max(1, Math.floor(options.statementTimeoutMs));
      settings += `, set_config('statement_timeout', '${ms}', true), set_config('lock_timeout', '${ms}', true)`;
    }
    return settings;
  }

  /** Runs `fn` in one transaction in which row-level security admits only `tenantId`'s rows. */
  async withTenant<T>(tenantId: string, fn: (tx: FastTx) => Promise<T>, options: FastTxOptions = {}): Promise<T> {
    const settings = this.tenantSettings(tenantId, options);
    return this.transaction(["BEGIN", settings], fn, options.timeoutMs ?? 10_000);
  }

  /**
   * Reads in `tenantId`'s RLS scope in one round trip: the settings and the statements go in
   * one message, which PostgreSQL runs as one implicit transaction, so the settings (local to
   * it) are gone when it ends. For reads only: nothing here waits on or takes row locks.
   * Reads asked for in the same turn of the event loop share the message (`ReadCoalescer`),
   * each one's settings right before its own statements; see `sendReads`.
   */
  async readAsTenant(tenantId: string, calls: readonly Call[], options: FastTxOptions = {}): Promise<Row[][]> {
    return this.reads.add(this.tenantSettings(tenantId, options), calls);
  }

  private readonly reads = new ReadCoalescer((batch) => this.sendReads(batch));

  /**
   * Several reads in one message: `settings₁; reads₁…; settings₂; reads₂…`. The statements of
   * a simple-query message run one after the other in one implicit transaction, and a
   * `set_config(…, true)` holds until the next one or the end of the message, so each read runs
   * in its own tenant's scope, as if it had been sent alone; the settings are gone afterwards.
   * Under READ COMMITTED each statement takes its own snapshot, as in separate messages. One
   * difference: a statement that fails aborts the rest of its message, so a failure (a timeout,
   * a lost connection) fails every read of the batch.
   */
  private async sendReads(batch: QueuedRead[]): Promise<void> {
    const client = await this.connections.connect();
    let broken: Error | undefined;
    try {
      const calls = batch.flatMap((read) => read.calls);
      await prepare(client, calls);
      const sql = batch.flatMap((read) => [read.settings, ...read.calls.map(execute)]).join("; ");
      const raw = (await client.query(sql)) as unknown as pg.QueryResult<Row> | Array<pg.QueryResult<Row>>;
      const results = Array.isArray(raw) ? raw : [raw];
      let at = 0;
      for (const read of batch) {
        at += 1; // the settings' own result
        read.resolve(results.slice(at, at + read.calls.length).map((r) => r.rows));
        at += read.calls.length;
      }
    } catch (err) {
      if (!(err instanceof pg.DatabaseError || err instanceof AppError)) broken = err as Error;
      for (const read of batch) read.reject(err);
    } finally {
      client.release(broken);
    }
  }

  /** Every tenant's rows visible, as `Database.withPlatformScope`; `reason` names the use. */
  async withPlatformScope<T>(reason: string, fn: (tx: FastTx) => Promise<T>, options: FastTxOptions = {}): Promise<T> {
    if (!REASON.test(reason))
      throw new AppError("PLATFORM_SCOPE_REASON", "A platform-scope transaction needs a plain reason", 500);
    const settings = `SELECT set_config('app.scope', 'platform', true), set_config('app.scope_reason', '${reason}', true)`;
    return this.transaction(["BEGIN", settings], fn, options.timeoutMs ?? 30_000);
  }

  /**
   * One statement outside any scope: for platform tables without RLS (stations, tenants).
   * On a tenant-owned table it sees no rows and may write none.
   */
  async query<R = Row>(statement: Statement, values: readonly unknown[]): Promise<R[]> {
    const client = await this.connections.connect();
    let broken: Error | undefined;
    try {
      const [rows] = await send(client, [], [[statement, values]]);
      return rows as R[];
    } catch (err) {
      if (!(err instanceof pg.DatabaseError || err instanceof AppError)) broken = err as Error;
      throw err;
    } finally {
      client.release(broken);
    }
  }

  private async transaction<T>(begin: string[], fn: (tx: FastTx) => Promise<T>, timeoutMs: number): Promise<T> {
    const client = await this.connections.connect();
    let broken: Error | undefined;
    const tx = new FastTx(client, begin, Date.now() + timeoutMs);
    try {
      const result = await fn(tx);
      if (tx.started && !tx.committed) await client.query("COMMIT");
      return result;
    } catch (err) {
      // ROLLBACK also ends a transaction a failed message left aborted; a connection that
      // cannot even do that may still be inside one, so it is destroyed, not pooled again.
      if (tx.started) await client.query("ROLLBACK").catch((rollbackError: Error) => (broken = rollbackError));
      throw err;
    } finally {
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    await pool?.end();
  }
}
