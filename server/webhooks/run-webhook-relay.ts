import type { AppConfig } from "../config/env.ts";
import type { Database } from "../platform/db/database.ts";
import type { GuardedHttp } from "../platform/http/guarded-http.ts";
import type { Mailer } from "../platform/mail/mailer.ts";
import type { Logger } from "../platform/observability/logger.ts";
import { nextAttemptAt } from "./backoff.ts";
import { notifyPausedEndpoint } from "./notify-paused-endpoint.ts";
import {
  claimDueDeliveries,
  fanOutEvents,
  recordAttempts,
  updateEndpointHealth,
  type AttemptResult,
  type ClaimedDelivery,
} from "./relay.repository.ts";
import { signedHeaders } from "./signature.ts";

export interface RelayDeps {
  db: Database;
  http: Pick<GuardedHttp, "post">;
  mailer: Mailer;
  logger: Logger;
  config: Pick<
    AppConfig,
    | "WEBHOOK_TIMEOUT_MS"
    | "WEBHOOK_MAX_AGE_HOURS"
    | "WEBHOOK_PAUSE_AFTER_FAILURES"
    | "WEBHOOK_BATCH_SIZE"
    | "PUBLIC_BASE_URL"
  >;
}

export interface RelayOptions {
  /** The clock for scheduling (tests travel in time); signatures always carry the real time. */
  now?: () => Date;
  /** Stop starting new rounds after this long (the job runs again on its schedule). */
  budgetMs?: number;
}

export interface RelayStats {
  events: number;
  delivered: number;
  failed: number;
  paused: number;
}

const PLATFORM_REASON = "worker: webhook relay";

/**
 * One run of the webhook relay: fans new outbox events out to deliveries, then sends what is
 * due, round after round until nothing is left or the budget is spent. Each step is its own
 * short transaction, on pg (`Database.sql`: no Prisma engine, docs/decisions/0004); the HTTP calls happen with no transaction open, under a lease. Two
 * batches are in flight at once: the next is claimed while the previous one's answers arrive
 * (a later event of a position still waits, its predecessor being pending until answered).
 */
export async function runWebhookRelay(deps: RelayDeps, options: RelayOptions = {}): Promise<RelayStats> {
  const clock = options.now ?? (() => new Date());
  const stats: RelayStats = { events: 0, delivered: 0, failed: 0, paused: 0 };
  const stopAt = Date.now() + (options.budgetMs ?? 20_000);
  const limit = deps.config.WEBHOOK_BATCH_SIZE;
  const leaseMs = deps.config.WEBHOOK_TIMEOUT_MS * 2 + 5_000;
  let inflight: Promise<void> | null = null;
  try {
    while (Date.now() < stopAt) {
      const events = await deps.db.sql.withPlatformScope(PLATFORM_REASON, (tx) => fanOutEvents(tx, limit * 2));
      stats.events += events;
      const now = clock();
      const claimed = await deps.db.sql.withPlatformScope(PLATFORM_REASON, (tx) =>
        claimDueDeliveries(tx, now, leaseMs, limit),
      );
      if (!claimed.length) {
        if (!inflight) {
          if (events === 0) break;
          continue;
        }
        // What is in flight may unblock the next events of its positions: wait, then look again.
        await inflight;
        inflight = null;
        continue;
      }
      const batch = sendBatch(deps, claimed, now, stats);
      batch.catch(() => undefined); // awaited below; this only keeps it from counting as unhandled meanwhile
      if (inflight) await inflight;
      inflight = batch;
    }
  } finally {
    if (inflight) await inflight;
  }
  return stats;
}

async function sendBatch(deps: RelayDeps, claimed: ClaimedDelivery[], now: Date, stats: RelayStats): Promise<void> {
  const results = await Promise.all(claimed.map((d) => attempt(deps, d, now)));
  const paused = await deps.db.sql.withPlatformScope(PLATFORM_REASON, async (tx) => {
    await recordAttempts(tx, now, results);
    return updateEndpointHealth(tx, now, results, deps.config.WEBHOOK_PAUSE_AFTER_FAILURES);
  });
  for (const r of results) {
    if (r.ok) stats.delivered++;
    else stats.failed++;
  }
  stats.paused += paused.length;
  for (const endpoint of paused) {
    deps.logger.warn({ endpointId: endpoint.id, tenantId: endpoint.tenantId }, "webhook endpoint paused");
    await notifyPausedEndpoint({ ...deps, publicBaseUrl: deps.config.PUBLIC_BASE_URL }, endpoint);
  }
}

async function attempt(deps: RelayDeps, d: ClaimedDelivery, now: Date): Promise<AttemptResult> {
  const body = JSON.stringify(d.payload);
  const realNow = new Date();
  const secrets = [d.secret];
  if (d.previousSecret && d.previousSecretUntil && d.previousSecretUntil > realNow) secrets.push(d.previousSecret);
  const headers = {
    ...signedHeaders(secrets, d.eventId, Math.floor(realNow.getTime() / 1000), body),
    "user-agent": "PontePA-Webhooks/1",
  };
  const started = performance.now();
  const base = { id: d.id, tenantId: d.tenantId, endpointId: d.endpointId };
  const retry = () => nextAttemptAt(d.createdAt, d.attempts, now, deps.config.WEBHOOK_MAX_AGE_HOURS * 3_600_000);
  try {
    const res = await deps.http.post(d.url, headers, body);
    const ok = res.status >= 200 && res.status < 300;
    return {
      ...base,
      ok,
      status: res.status,
      latencyMs: res.latencyMs,
      error: ok ? null : `HTTP ${res.status}`,
      excerpt: res.excerpt,
      nextAttemptAt: ok ? null : retry(),
    };
  } catch (err) {
    const e = err as Error & { code?: string };
    return {
      ...base,
      ok: false,
      status: null,
      latencyMs: Math.round(performance.now() - started),
      error: e.code ? `${e.code}: ${e.message}` : e.message,
      excerpt: null,
      nextAttemptAt: retry(),
    };
  }
}
