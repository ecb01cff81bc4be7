import type { Request, RequestHandler } from "express";
import type { Redis } from "ioredis";
import { RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { AppError } from "../errors.ts";
import type { Logger } from "../observability/logger.ts";

/** One budget: at most `points` requests per `durationSeconds`, counted per address and per session. */
export interface RateLimitBucket {
  name: string;
  /** Which requests spend from this budget. */
  applies: (req: Request) => boolean;
  perAddress: number;
  perSession: number;
  durationSeconds: number;
}

export interface RateLimitOptions {
  redis: Redis;
  /** Redis key prefix (QUEUE_PREFIX): every process of one platform shares the counters. */
  prefix: string;
  buckets: RateLimitBucket[];
  /** The visitor's session key (e.g. a cookie), when they have one. */
  sessionOf: (req: Request) => string | undefined;
  logger: Logger;
  message?: string;
}

/**
 * A rate limiter for anonymous endpoints, with its counters in Redis (rate-limiter-flexible's
 * atomic Lua counters), so every api process behind the load balancer spends from the same
 * budget. Each request spends one point per address and one per session of every bucket that
 * applies; over any of them it is answered 429 with `Retry-After`. A visitor who drops their
 * cookies has no session, but their address still counts. If Redis is unreachable the request
 * passes (the portal keeps taking payments; the outage is logged).
 */
export function rateLimit(options: RateLimitOptions): RequestHandler {
  const limiters = options.buckets.map((b) => ({
    bucket: b,
    address: new RateLimiterRedis({
      storeClient: options.redis,
      keyPrefix: `${options.prefix}:rl:${b.name}:ip`,
      points: b.perAddress,
      duration: b.durationSeconds,
    }),
    session: new RateLimiterRedis({
      storeClient: options.redis,
      keyPrefix: `${options.prefix}:rl:${b.name}:s`,
      points: b.perSession,
      duration: b.durationSeconds,
    }),
  }));
  return async (req, res, next) => {
    const address = req.ip ?? req.socket.remoteAddress ?? "unknown";
    const session = options.sessionOf(req);
    const spends: Array<Promise<unknown>> = [];
    for (const l of limiters) {
      if (!l.bucket.applies(req)) continue;
      spends.push(l.address.consume(address));
      if (session) spends.push(l.session.consume(session));
    }
    const results = await Promise.allSettled(spends);
    let waitMs = 0;
    for (const r of results) {
      if (r.status === "fulfilled") continue;
      if (r.reason instanceof RateLimiterRes) waitMs = Math.max(waitMs, r.reason.msBeforeNext);
      else options.logger.warn({ err: (r.reason as Error)?.message }, "rate limiter unavailable, request let through");
    }
    if (waitMs <= 0) return next();
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    res.set("Retry-After", String(seconds));
    next(
      new AppError(
        "RATE_LIMITED",
        options.message ?? `Troppe richieste in poco tempo: riprova tra ${seconds} secondi.`,
        429,
        { retryAfterSeconds: seconds },
      ),
    );
  };
}
