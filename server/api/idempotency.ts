import { createHash } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { Database } from "../platform/db/database.ts";
import type { Statement } from "../platform/db/fast-sql.ts";
import { AppError } from "../platform/errors.ts";

export interface IdempotentAnswer {
  status: number;
  body: unknown;
}

export interface IdempotentRequest {
  tenantId: string;
  clientId: string;
  key: string;
  /** What makes two requests "the same": method, path and body. */
  fingerprint: unknown;
}

/** How long a repeat waits for the first request to finish before it is told to come back. */
export const IDEMPOTENCY_WAIT_MS = 15_000;
/** A claim this old without an answer belongs to a process that died: the next repeat runs it again. */
export const IDEMPOTENCY_STALE_MS = 60_000;

const KEY = /^[\x21-\x7e]{1,255}$/;

/** JSON with object keys sorted, so `{a,b}` and `{b,a}` are the same request. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object")
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(value ?? null);
}

interface Row {
  request_hash: string;
  response_status: number | null;
  response_body: unknown;
  created_at: Date;
}

// The key store's statements, prepared once per connection on pg (docs/decisions/0004): each
// step is one message (BEGIN, the council's RLS setting, the statement, COMMIT), no Prisma engine.
const WHERE_KEY = "tenant_id = $1::uuid AND client_id = $2 AND key = $3";
const CLAIM: Statement = {
  name: "api.idempotency_claim",
  text: `INSERT INTO api_idempotency_keys (tenant_id, client_id, key, request_hash)
         VALUES ($1::uuid, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING 1 AS ok`,
};
const READ: Statement = {
  name: "api.idempotency_read",
  text: `SELECT request_hash, response_status, response_body, created_at FROM api_idempotency_keys WHERE ${WHERE_KEY}`,
};
const TAKE_OVER: Statement = {
  name: "api.idempotency_take_over",
  text: `UPDATE api_idempotency_keys SET created_at = now()
         WHERE ${WHERE_KEY} AND response_status IS NULL AND created_at = $4::timestamptz RETURNING 1 AS ok`,
};
const RELEASE: Statement = {
  name: "api.idempotency_release",
  text: `DELETE FROM api_idempotency_keys WHERE ${WHERE_KEY} AND response_status IS NULL`,
};
const STORE: Statement = {
  name: "api.idempotency_store",
  text: `UPDATE api_idempotency_keys SET response_status = $4::smallint, response_body = $5::jsonb, completed_at = now()
         WHERE ${WHERE_KEY}`,
};

/**
 * Runs a write once per (client, Idempotency-Key). The first request claims the key with an
 * INSERT … ON CONFLICT DO NOTHING committed before it runs, so of any number of concurrent
 * identical requests, in any process, exactly one runs; the others wait for its answer and
 * replay it. The same key with another request is 422. A write that fails releases the key (the
 * client may retry with it); a claim left by a crashed process is taken over after
 * IDEMPOTENCY_STALE_MS.
 * @throws AppError IDEMPOTENCY_KEY_INVALID (400), IDEMPOTENCY_KEY_REUSED (422), IDEMPOTENCY_KEY_IN_PROGRESS (409)
 */
export async function withIdempotency(
  db: Database,
  req: IdempotentRequest,
  run: () => Promise<IdempotentAnswer>,
  replayed: (yes: boolean) => void,
): Promise<IdempotentAnswer> {
  if (!KEY.test(req.key))
    throw new AppError("IDEMPOTENCY_KEY_INVALID", "Idempotency-Key: from 1 to 255 printable ASCII characters", 400);
  const { tenantId, clientId, key } = req;
  const hash = createHash("sha256").update(canonical(req.fingerprint)).digest("hex");
  const deadline = Date.now() + IDEMPOTENCY_WAIT_MS;
  const step = <R>(statement: Statement, ...more: unknown[]) =>
    db.sql.withTenant(tenantId, (tx) => tx.query<R>(statement, [tenantId, clientId, key, ...more], { commit: true }));
  for (let pause = 10; ; pause = Math.min(pause * 2, 200)) {
    const claimed = await step<{ ok: number }>(CLAIM, hash);
    if (claimed.length) break;
    const [row] = await step<Row>(READ);
    if (!row) continue; // purged or released meanwhile: claim again
    if (row.request_hash !== hash)
      throw new AppError(
        "IDEMPOTENCY_KEY_REUSED",
        "Questa Idempotency-Key è già stata usata per un'altra richiesta",
        422,
      );
    if (row.response_status !== null) {
      replayed(true);
      return { status: row.response_status, body: row.response_body };
    }
    if (Date.now() - row.created_at.getTime() > IDEMPOTENCY_STALE_MS) {
      const taken = await step<{ ok: number }>(TAKE_OVER, row.created_at);
      if (taken.length) break;
    }
    if (Date.now() > deadline)
      throw new AppError(
        "IDEMPOTENCY_KEY_IN_PROGRESS",
        "La prima richiesta con questa Idempotency-Key è ancora in corso",
        409,
      );
    await sleep(pause);
  }
  let result: IdempotentAnswer;
  try {
    result = await run();
  } catch (err) {
    await step(RELEASE);
    throw err;
  }
  await step(STORE, result.status, JSON.stringify(result.body));
  replayed(false);
  return result;
}
