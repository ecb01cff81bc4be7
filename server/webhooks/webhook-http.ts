import type { AppConfig } from "../config/env.ts";
import { GuardedHttp } from "../platform/http/guarded-http.ts";

type HttpConfig = Pick<AppConfig, "NODE_ENV" | "WEBHOOK_TIMEOUT_MS">;

const clients = new WeakMap<HttpConfig, GuardedHttp>();

/**
 * Kept-alive connections to one receiver (host and port) at most: the in-flight deliveries per
 * endpoint. A batch's other deliveries to it queue for a free socket, so a council's server
 * never sees more than this many requests at once from a relay process.
 */
export const WEBHOOK_SOCKETS_PER_ORIGIN = 32;

/**
 * The client deliveries go through, one per process and configuration (kept-alive sockets to
 * each receiver). Production refuses private, loopback and link-local targets; development and
 * tests call the local receiver.
 */
export function webhookHttp(config: HttpConfig): GuardedHttp {
  let client = clients.get(config);
  if (!client) {
    client = new GuardedHttp({
      blockPrivate: config.NODE_ENV === "production",
      timeoutMs: config.WEBHOOK_TIMEOUT_MS,
      maxSockets: WEBHOOK_SOCKETS_PER_ORIGIN,
    });
    clients.set(config, client);
  }
  return client;
}
