import type { AppConfig } from "../config/env.ts";
import { GuardedHttp } from "../platform/http/guarded-http.ts";

type HttpConfig = Pick<AppConfig, "NODE_ENV" | "WEBHOOK_TIMEOUT_MS">;

const clients = new WeakMap<HttpConfig, GuardedHttp>();

/**
 * The client deliveries go through, one per process and configuration (kept-alive sockets to
 * each receiver). Production refuses private, loopback and link-local targets; development and
 * tests call the local receiver.
 */
export function webhookHttp(config: HttpConfig): GuardedHttp {
  let client = clients.get(config);
  if (!client) {
    client = new GuardedHttp({ blockPrivate: config.NODE_ENV === "production", timeoutMs: config.WEBHOOK_TIMEOUT_MS });
    clients.set(config, client);
  }
  return client;
}
