import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import net from "node:net";

/**
 * Outbound HTTP to addresses a council typed in (webhook endpoints). In production it refuses
 * private, loopback, link-local and other non-public addresses, checked on the address the
 * socket actually connects to (a custom DNS lookup, so a name that resolves differently between
 * a check and the connection cannot slip through: DNS rebinding), never follows a redirect, and
 * gives up after a timeout. Bodies are read only up to an excerpt.
 */

const blocked = new net.BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8], // "this" network
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local, cloud metadata (169.254.169.254)
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15], // benchmarking
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
] as const)
  blocked.addSubnet(network, prefix, "ipv4");
for (const [network, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["ff00::", 8], // multicast
  ["64:ff9b::", 96], // NAT64 of any IPv4, private ones included
  ["2001:db8::", 32], // documentation
] as const)
  blocked.addSubnet(network, prefix, "ipv6");

/** Whether an IP address is one a production platform must not call. */
export function isForbiddenAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 0) return true;
  if (family === 4) return blocked.check(address, "ipv4");
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return blocked.check(mapped[1]!, "ipv4");
  return blocked.check(address, "ipv6");
}

export class ForbiddenTargetError extends Error {
  readonly code = "ETARGETFORBIDDEN";
  constructor(readonly target: string) {
    super(`Refused: ${target} is a private, loopback or link-local address`);
    this.name = "ForbiddenTargetError";
  }
}

type LookupAll = (hostname: string, callback: (err: Error | null, addresses: dns.LookupAddress[]) => void) => void;

const systemLookupAll: LookupAll = (hostname, callback) =>
  dns.lookup(hostname, { all: true, verbatim: true }, (err, addresses) => callback(err, addresses ?? []));

/**
 * A `lookup` for net/http that resolves every address of the name and refuses the connection
 * when any is forbidden (so no round-robin can hand out the private one later).
 */
export function guardedLookup(resolveAll: LookupAll = systemLookupAll): net.LookupFunction {
  return ((hostname: string, options: dns.LookupOptions, callback: (...args: unknown[]) => void) => {
    resolveAll(hostname, (err, addresses) => {
      if (err) return callback(err);
      const wanted = addresses.filter((a) => !options.family || a.family === options.family);
      if (!wanted.length)
        return callback(Object.assign(new Error(`No address for ${hostname}`), { code: "ENOTFOUND" }));
      const bad = wanted.find((a) => isForbiddenAddress(a.address));
      if (bad) return callback(new ForbiddenTargetError(`${hostname} (${bad.address})`));
      if (options.all) return callback(null, wanted);
      return callback(null, wanted[0]!.address, wanted[0]!.family);
    });
  }) as net.LookupFunction;
}

export interface GuardedHttpOptions {
  /** Refuse non-public addresses (always on in production). */
  blockPrivate: boolean;
  timeoutMs: number;
  /** Characters of the answer kept (the delivery log's excerpt). */
  excerptChars?: number;
  /** Test seam: how names resolve (default: the system resolver). */
  resolveAll?: LookupAll;
  /** Sockets kept open per origin (throughput to one receiver). */
  maxSockets?: number;
}

export interface GuardedResponse {
  status: number;
  excerpt: string;
  latencyMs: number;
}

export class GuardedHttp {
  private readonly lookup: net.LookupFunction | undefined;
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;

  constructor(private readonly options: GuardedHttpOptions) {
    this.lookup = options.blockPrivate ? guardedLookup(options.resolveAll) : undefined;
    const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 32, lookup: this.lookup };
    this.httpAgent = new http.Agent(agentOptions);
    this.httpsAgent = new https.Agent(agentOptions);
  }

  /** Why a URL cannot be called at all (scheme, literal address), or null; names are checked at connect time. */
  urlProblem(raw: string): string | null {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return "not a valid URL";
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") return "only http and https URLs";
    if (url.username || url.password) return "no credentials in the URL";
    const host = url.hostname.replace(/^\[|\]$/g, "");
    // A literal address never goes through the lookup, so it is checked here.
    if (this.options.blockPrivate && net.isIP(host) && isForbiddenAddress(host))
      return new ForbiddenTargetError(host).message;
    if (this.options.blockPrivate && /^localhost\.?$/i.test(host)) return new ForbiddenTargetError(host).message;
    return null;
  }

  /**
   * POSTs `body`; resolves with the status whatever it is (a 3xx is an answer, not followed).
   * @throws ForbiddenTargetError, a network error, or a timeout error
   */
  async post(raw: string, headers: Record<string, string>, body: string): Promise<GuardedResponse> {
    const problem = this.urlProblem(raw);
    if (problem)
      throw problem.startsWith("Refused") ? new ForbiddenTargetError(new URL(raw).hostname) : new Error(problem);
    const url = new URL(raw);
    const started = performance.now();
    const client = url.protocol === "https:" ? https : http;
    const excerptChars = this.options.excerptChars ?? 1000;
    return new Promise<GuardedResponse>((resolve, reject) => {
      const req = client.request(
        url,
        {
          method: "POST",
          agent: url.protocol === "https:" ? this.httpsAgent : this.httpAgent,
          lookup: this.lookup,
          headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), ...headers },
        },
        (res) => {
          let excerpt = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => {
            if (excerpt.length < excerptChars) excerpt += chunk.slice(0, excerptChars - excerpt.length);
          });
          res.on("end", () => {
            clearTimeout(timer);
            resolve({ status: res.statusCode ?? 0, excerpt, latencyMs: Math.round(performance.now() - started) });
          });
          res.on("error", (err) => {
            clearTimeout(timer);
            reject(err);
          });
        },
      );
      const timer = setTimeout(
        () =>
          req.destroy(Object.assign(new Error(`Timed out after ${this.options.timeoutMs} ms`), { code: "ETIMEDOUT" })),
        this.options.timeoutMs,
      );
      req.on("error", (err) => {
        clearTimeout(timer);
        reject(err);
      });
      req.end(body);
    });
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}
