import autocannon from "autocannon";

export interface LoadResult {
  name: string;
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  errors: number;
}

/**
 * Drives `url` with autocannon (keep-alive, `connections` at once) for `seconds`, each request
 * body made by `body()` so every request can carry another notice number.
 */
export async function load(name: string, url: string, connections: number, seconds: number, body: () => string, soapAction: string): Promise<LoadResult> {
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    method: "POST",
    headers: { "content-type": "text/xml; charset=utf-8", soapaction: soapAction },
    requests: [{ setupRequest: (req) => ({ ...req, body: body() }) }],
  });
  return {
    name,
    connections,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}
