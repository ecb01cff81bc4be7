import type { IncomingMessage } from "node:http";
import proxyaddr from "proxy-addr";

/**
 * TRUST_PROXY as configured: `false` (no proxy), a hop count (that many proxies in front of us,
 * whatever their addresses), or the proxies' addresses, CIDR ranges and proxy-addr's names
 * (`loopback`, `linklocal`, `uniquelocal`). "Trust everything" is deliberately not expressible:
 * with it the client address is whatever the client writes in X-Forwarded-For.
 */
export type TrustProxySetting = false | number | string[];

/** Whether the address at hop `i` (0 = the socket's peer) is a proxy we trust. */
export type TrustFn = (address: string, hop: number) => boolean;

/**
 * The trust function for TRUST_PROXY, with Express's "trust proxy" semantics (Express accepts
 * it as is, so `req.ip` and the station's lean handler read the same address).
 * @throws TypeError when an address or range is malformed (the env check reports it).
 */
export function compileTrust(setting: TrustProxySetting): TrustFn {
  if (setting === false || setting === 0) return () => false;
  if (typeof setting === "number") return (_address, hop) => hop < setting;
  return proxyaddr.compile(setting);
}

/**
 * The client's address: walking X-Forwarded-For from the right, starting at the socket's peer,
 * the first address that is not a trusted proxy (proxy-addr, as Express's `req.ip`). Entries a
 * client writes itself are left of the ones our proxies append, so they never win while a
 * trusted proxy appends (or overwrites) the header.
 */
export function clientAddress(req: Pick<IncomingMessage, "headers" | "socket">, trust: TrustFn): string {
  const peer = req.socket.remoteAddress;
  if (peer === undefined) return "";
  // The common case on the station's hot path: no header, nothing to walk.
  if (!req.headers["x-forwarded-for"]) return peer;
  return proxyaddr(req as IncomingMessage, trust);
}

/**
 * Whether the request came straight from a trusted proxy: only then can headers that proxy
 * sets (the client certificate's fingerprint) be believed.
 */
export function fromTrustedProxy(req: Pick<IncomingMessage, "socket">, trust: TrustFn): boolean {
  const peer = req.socket.remoteAddress;
  return peer !== undefined && trust(peer, 0);
}
