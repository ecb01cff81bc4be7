import type { RequestHandler } from "express";
import type { Redis } from "ioredis";
import { RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { AppError } from "../platform/errors.ts";
import type { Logger } from "../platform/observability/logger.ts";
import type { ApiPrincipal } from "./api-token.ts";

const WINDOW_SECONDS = 60;

/**
 * Per-client budget of the REST API: `perMinute` requests per API client (the token's `azp`),
 * counted in Redis with rate-limiter-flexible's atomic counters, so every api process spends
 * from the same budget. Every answer carries the IETF draft's `RateLimit-Limit`,
 * `RateLimit-Remaining`, `RateLimit-Reset` and `RateLimit-Policy`; over budget it is 429 with
 * `Retry-After`. If Redis is unreachable the request passes (logged): council systems keep working.
 */
export function apiRateLimit(options: {
  redis: Redis;
  prefix: string;
  perMinute: number;
  logger: Logger;
}): RequestHandler {
  const limiter = new RateLimiterRedis({
    storeClient: options.redis,
    keyPrefix: `${options.prefix}:rl:api:client`,
    points: options.perMinute,
    duration: WINDOW_SECONDS,
  });
  return async (_req, res, next) => {
    const principal = res.locals.apiPrincipal as ApiPrincipal;
    const headers = (r: RateLimiterRes) => {
      res.set({
        "RateLimit-Limit": String(options.perMinute),
        "RateLimit-Remaining": String(Math.max(0, r.remainingPoints)),
        "RateLimit-Reset": String(Math.max(0, Math.ceil(r.msBeforeNext / 1000))),
        "RateLimit-Policy": `${options.perMinute};w=${WINDOW_SECONDS}`,
      });
    };
    try {
      headers(await limiter.consume(principal.clientId));
      next();
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) {
        options.logger.warn({ err: (err as Error)?.message }, "API rate limiter unavailable, request let through");
        return next();
      }
      headers(err);
      const seconds = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
      res.set("Retry-After", String(seconds));
      next(
        new AppError("RATE_LIMITED", `Too many requests for this client: retry in ${seconds} s`, 429, {
          retryAfterSeconds: seconds,
        }),
      );
    }
  };
}
