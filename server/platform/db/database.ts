import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient, type Prisma } from "../../generated/prisma/client.ts";
import { AppError } from "../errors.ts";
import { FastSql } from "./fast-sql.ts";
import { DEV_IUV_PERMUTATION_SECRET } from "../../config/env.ts";

/** A transaction client: what repositories receive. RLS settings are already applied to it. */
export type Tx = Prisma.TransactionClient;

export interface TxOptions {
  /** Milliseconds the whole transaction may take (default 10 s). */
  timeout?: number;
  isolationLevel?: Prisma.TransactionIsolationLevel;
  /** Bounds each statement and each row-lock wait (PostgreSQL statement/lock_timeout). */
  statementTimeoutMs?: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The platform's only door to PostgreSQL. Tenant-owned tables are protected by row-level
 * security: outside `withTenant`/`withPlatformScope` they show no rows and refuse writes, so a
 * forgotten filter fails closed instead of leaking another council's data.
 */
export class Database {
  readonly client: PrismaClient;
  /**
   * The Nodo station's hot path: plain `pg`, same URL and role, same RLS guarantees, opened on
   * first use (see fast-sql.ts and docs/decisions/0004-nodo-hot-path-on-pg.md).
   */
  readonly sql: FastSql;
  /** Keys the permutation of each tenant's IUV counter (config IUV_PERMUTATION_SECRET; see allocate-notice-numbers.ts). */
  readonly iuvPermutationSecret: string;

  constructor(options: { url: string; poolSize?: number; iuvPermutationSecret?: string }) {
    this.iuvPermutationSecret = options.iuvPermutationSecret ?? DEV_IUV_PERMUTATION_SECRET;
    const adapter = new PrismaPg({ connectionString: options.url, max: options.poolSize ?? 10 });
    this.client = new PrismaClient({ adapter });
    this.sql = new FastSql(options);
  }

  /**
   * Runs `fn` in one transaction in which row-level security admits only `tenantId`'s rows,
   * for reads and writes alike.
   */
  async withTenant<T>(tenantId: string, fn: (tx: Tx) => Promise<T>, options: TxOptions = {}): Promise<T> {
    if (!UUID.test(tenantId)) throw new AppError("TENANT_ID_INVALID", `Not a tenant id: ${tenantId}`, 400);
    return this.client.$transaction(
      async (tx) => {
        // One round trip for every setting, all local to the transaction.
        if (options.statementTimeoutMs) {
          const ms = String(Math.max(1, Math.floor(options.statementTimeoutMs)));
          await tx.$executeRaw`SELECT set_config('app.tenant_id', ${tenantId}, true), set_config('statement_timeout', ${ms}, true), set_config('lock_timeout', ${ms}, true)`;
        } else {
          await tx.$executeRaw`SELECT set_config('app.tenant_id', ${tenantId}, true)`;
        }
        return fn(tx);
      },
      { timeout: options.timeout ?? 10_000, maxWait: 5_000, isolationLevel: options.isolationLevel },
    );
  }

  /**
   * Runs `fn` with every tenant's rows visible: for Nodo routing before the tenant is known,
   * the regional helpdesk, schedulers and the seed. `reason` names the use so every cross-tenant
   * read is greppable; callers acting for a person also write the audit log.
   */
  async withPlatformScope<T>(reason: string, fn: (tx: Tx) => Promise<T>, options: TxOptions = {}): Promise<T> {
    if (!reason.trim()) throw new AppError("PLATFORM_SCOPE_REASON", "A platform-scope transaction needs a reason", 500);
    return this.client.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT set_config('app.scope', 'platform', true), set_config('app.scope_reason', ${reason}, true)`;
        return fn(tx);
      },
      { timeout: options.timeout ?? 30_000, maxWait: 5_000, isolationLevel: options.isolationLevel },
    );
  }

  /** Used by /readyz. */
  async ping(): Promise<void> {
    await this.client.$queryRaw`SELECT 1`;
  }

  async close(): Promise<void> {
    await Promise.all([this.client.$disconnect(), this.sql.close()]);
  }
}
