import { createHash, timingSafeEqual } from "node:crypto";
import { BlockList, isIPv4, isIPv6 } from "node:net";

/** The per-station protections stored on the Station row (all optional). */
export interface StationProtection {
  clientCertFingerprint: string | null;
  subscriptionKeyHash: string | null;
  allowedSources: string[];
}

export interface Caller {
  /** The client address (right-most untrusted X-Forwarded-For entry, see client-address.ts). */
  ip: string;
  /**
   * The request came straight from a trusted proxy (TRUST_PROXY): only then is the client
   * certificate header believed, since anyone else can write it.
   */
  viaTrustedProxy: boolean;
  /** Lower-case header names, as Node gives them. */
  headers: Record<string, string | string[] | undefined>;
}

/** The caller failed a station protection: answered 403, with no business detail. */
export class StationAccessDenied extends Error {
  constructor(readonly reason: string) {
    super(`Station access denied: ${reason}`);
    this.name = "StationAccessDenied";
  }
}

const header = (caller: Caller, name: string) => {
  const v = caller.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
};

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** Hex fingerprints compared without separators or case (`AB:CD…` = `abcd…`). */
export const normaliseFingerprint = (f: string) => f.replace(/[\s:]/g, "").toUpperCase();

/** Plain IPv4 for IPv4-mapped IPv6 addresses (`::ffff:10.0.0.1`). */
export function normaliseIp(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return mapped ? mapped[1]! : ip;
}

/** Whether `ip` is one of the addresses or CIDR ranges; malformed entries match nothing. */
export function ipAllowed(ip: string, sources: string[]): boolean {
  const list = new BlockList();
  for (const entry of sources) {
    const [net, bits] = entry.trim().split("/");
    if (!net) continue;
    const type = isIPv4(net) ? "ipv4" : isIPv6(net) ? "ipv6" : null;
    if (!type) continue;
    if (bits === undefined) list.addAddress(net, type);
    else if (/^\d{1,3}$/.test(bits) && Number(bits) <= (type === "ipv4" ? 32 : 128))
      list.addSubnet(net, Number(bits), type);
  }
  const address = normaliseIp(ip);
  const type = isIPv4(address) ? "ipv4" : isIPv6(address) ? "ipv6" : null;
  return type !== null && list.check(address, type);
}

/** Whether the station names its caller: a certificate or a key (an address alone is not an identity). */
export const authenticatesCaller = (
  station: Pick<StationProtection, "clientCertFingerprint" | "subscriptionKeyHash">,
) => Boolean(station.clientCertFingerprint || station.subscriptionKeyHash);

/**
 * Applies the station's protections: the client certificate fingerprint that the
 * TLS-terminating proxy puts in `certHeader` (believed only from a trusted proxy), the sha256 of
 * the Ocp-Apim-Subscription-Key header, and the caller's address. Each is checked when
 * configured on the station; with `requireAuthentication` (production) a station that has
 * neither a certificate nor a key is refused outright, since it would take `paSendRTV2` (which
 * marks debts paid) from anyone.
 * @throws StationAccessDenied
 */
export function checkStationAccess(
  station: StationProtection,
  caller: Caller,
  certHeader: string,
  requireAuthentication = false,
): void {
  if (requireAuthentication && !authenticatesCaller(station))
    throw new StationAccessDenied("no caller authentication configured");
  if (station.clientCertFingerprint) {
    const given = caller.viaTrustedProxy ? header(caller, certHeader) : undefined;
    if (!given || !sameSecret(normaliseFingerprint(given), normaliseFingerprint(station.clientCertFingerprint))) {
      throw new StationAccessDenied("client certificate");
    }
  }
  if (station.subscriptionKeyHash) {
    const key = header(caller, "ocp-apim-subscription-key");
    const hash = key ? createHash("sha256").update(key).digest("hex") : "";
    if (!sameSecret(hash, station.subscriptionKeyHash.toLowerCase())) throw new StationAccessDenied("subscription key");
  }
  if (station.allowedSources.length > 0 && !ipAllowed(caller.ip, station.allowedSources)) {
    throw new StationAccessDenied("source address");
  }
}
