import pg from "pg";
import { AppError } from "../errors.ts";

/**
 * One statement of the hot path. `name` makes it a named prepared statement: PostgreSQL parses
 * and plans it once per connection and reuses the plan (the Nodo's notice read takes ~3 ms to
 * plan and under 1 ms to run, see docs/benchmarks.md). A name must always carry the same text.
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const REASON = /^[A-Za-z0-9 :._/-]{1,100}$/;

/** The transaction a unit of work runs in: only named statements, settings already applied. */
export class FastTx {
  constructor(
    private readonly client: pg.PoolClient,
    private readonly deadline: number,
  ) {}

  async query<R extends pg.QueryResultRow>(statement: Statement, values: unknown[]): Promise<R[]> {
    if (Date.now() > this.deadline) throw new AppError("TX_TIMEOUT", "Transaction budget exhausted", 503);
    const result = await this.client.query<R>({ name: statement.name, text: statement.text, values });
    return result.rows;
  }
}

/**
 * The Nodo station's hot-path door to PostgreSQL: a plain `pg` pool next to Prisma, connected
 * with the same URL, so as the same RLS-bound role (pontepa_app: NOSUPERUSER NOBYPASSRLS).
 * Prisma's client engine costs ~3 ms of CPU per model query and its interactive transactions
 * several round trips; here a tenant-scoped unit of work is `BEGIN` and the RLS settings in one
 * round trip, then named prepared statements, then `COMMIT` (docs/decisions/0004).
 *
 * The guarantees are those of `Database`: the settings are local to the transaction, so a
 * connection goes back to the pool with no tenant set, and statements outside `withTenant` /
 * `withPlatformScope` see no tenant-owned rows (fail closed). Everything else of the platform
 * keeps using Prisma.
 */
export class FastSql {
  private pool: pg.Pool | null = null;

  constructor(private readonly options: { url: string; poolSize?: number }) {}

  /** The pool is opened on first use, so roles that never take the hot path open no connections. */
  private get connections(): pg.Pool {
    if (!this.pool) {
      this.pool = new pg.Pool({ connectionString: this.options.url, max: this.options.poolSize ?? 10, connectionTimeoutMillis: 5_000 });
      // An idle connection dropped by the server must not crash the process; the pool replaces it.
      this.pool.on("error", () => undefined);
    }
    return this.pool;
  }

  /**
   * Runs `fn` in one transaction in which row-level security admits only `tenantId`'s rows.
   * The id is checked to be a UUID and the timeout to be an integer before they are written
   * into the `BEGIN; SELECT set_config(...)` text (a simple query cannot carry parameters, and
   * sending both in one message saves a round trip).
   */
  async withTenant<T>(tenantId: string, fn: (tx: FastTx) => Promise<T>, options: FastTxOptions = {}): Promise<T> {
    if (!UUID.test(tenantId)) throw new AppError("TENANT_ID_INVALID", `Not a tenant id: ${tenantId}`, 400);
    let settings = `set_config('app.tenant_id', '${tenantId.toLowerCase()}', true)`;
    if (options.statementTimeoutMs) {
      const ms = Math.max(1, Math.floor(options.statementTimeoutMs));
      settings += `, set_config('statement_timeout', '${ms}', true), set_config('lock_timeout', '${ms}', true)`;
    }
    return this.transaction(`BEGIN; SELECT ${settings}`, fn, options.timeoutMs ?? 10_000);
  }

  /** Every tenant's rows visible, as `Database.withPlatformScope`; `reason` names the use. */
  async withPlatformScope<T>(reason: string, fn: (tx: FastTx) => Promise<T>, options: FastTxOptions = {}): Promise<T> {
    if (!REASON.test(reason)) throw new AppError("PLATFORM_SCOPE_REASON", "A platform-scope transaction needs a plain reason", 500);
    return this.transaction(`BEGIN; SELECT set_config('app.scope', 'platform', true), set_config('app.scope_reason', '${reason}', true)`, fn, options.timeoutMs ?? 30_000);
  }

  /**
   * One statement outside any scope: for platform tables without RLS (stations, tenants).
   * On a tenant-owned table it sees no rows and may write none.
   */
  async query<R extends pg.QueryResultRow>(statement: Statement, values: unknown[]): Promise<R[]> {
    const result = await this.connections.query<R>({ name: statement.name, text: statement.text, values });
    return result.rows;
  }

  private async transaction<T>(begin: string, fn: (tx: FastTx) => Promise<T>, timeoutMs: number): Promise<T> {
    const client = await this.connections.connect();
    let broken: Error | undefined;
    try {
      await client.query(begin);
      const result = await fn(new FastTx(client, Date.now() + timeoutMs));
      await client.query("COMMIT");
      return result;
    } catch (err) {
      // ROLLBACK also ends a transaction whose BEGIN half-failed; a connection that cannot even
      // do that may still be inside one, so it is destroyed instead of going back to the pool.
      await client.query("ROLLBACK").catch((rollbackError: Error) => (broken = rollbackError));
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
