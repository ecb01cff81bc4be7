import autocannon from "autocannon";

export interface LoadResult {
  name: string;
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  /** Responses received within the duration. */
  requests: number;
  /** Requests handed to the server (some may still be in flight when the duration ends). */
  sent: number;
  /** Answers carrying <outcome>OK</outcome>. */
  ok: number;
  /** Answers with outcome KO (a PAA_* fault) or a SOAP Fault, by fault code. */
  faults: Record<string, number>;
  /** Transport errors, timeouts and non-2xx statuses. */
  errors: number;
  /** CPU the server process spent per answer (ms), when measured. */
  cpuMsPerAnswer?: number;
  /** CPU the PostgreSQL backends serving it spent per answer (ms), when measured. */
  dbCpuMsPerAnswer?: number;
}

const OUTCOME = /<outcome>(OK|KO)<\/outcome>/;
const FAULT_CODE = /<faultCode>([A-Z_]+)<\/faultCode>|<faultcode>[^<:]*:?([^<]+)<\/faultcode>/;

/**
 * Drives `url` with autocannon (keep-alive, `connections` at once) for `seconds`, each request
 * body made by `body()` so every request can carry another notice number, and reads every answer
 * to tell OK from faults (the station answers business faults with HTTP 200 and outcome KO).
 */
/** The subscription key the bench's station requires (run.ts stores its sha256 on the station). */
export const BENCH_SUBSCRIPTION_KEY = "bench-subscription-key";

export async function load(
  name: string,
  url: string,
  connections: number,
  seconds: number,
  body: () => string,
  soapAction: string,
): Promise<LoadResult> {
  let sent = 0;
  let ok = 0;
  const faults: Record<string, number> = {};
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    method: "POST",
    // The station runs with NODE_ENV=production, where it serves only authenticated callers.
    headers: {
      "content-type": "text/xml; charset=utf-8",
      soapaction: soapAction,
      "ocp-apim-subscription-key": BENCH_SUBSCRIPTION_KEY,
    },
    requests: [
      {
        setupRequest: (req) => {
          sent++;
          return { ...req, body: body() };
        },
        onResponse: (_status, resBody) => {
          const outcome = OUTCOME.exec(resBody)?.[1];
          if (outcome === "OK") {
            ok++;
            return;
          }
          const m = FAULT_CODE.exec(resBody);
          const code = m?.[1] ?? (m?.[2] ? `SOAP_${m[2]}` : "UNREADABLE");
          faults[code] = (faults[code] ?? 0) + 1;
        },
      },
    ],
  });
  return {
    name,
    connections,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    sent,
    ok,
    faults,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

/** Total faults of a result. */
export const faultCount = (r: LoadResult): number => Object.values(r.faults).reduce((a, b) => a + b, 0);
