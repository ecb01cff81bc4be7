import { createServer, type RequestListener, type Server } from "node:http";

/**
 * Starts listening and resolves once the port is bound (or rejects, e.g. when it is taken).
 * `handler` is an Express application or a plain node:http listener in front of one.
 */
export function listen(handler: RequestListener, host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer(handler).listen(port, host);
    server.once("listening", () => resolve(server));
    server.once("error", reject);
  });
}

/**
 * Stops accepting connections and lets requests in flight finish; keep-alive connections that
 * are still open after `graceMs` (a load balancer's, a benchmark's) are cut so stopping is bounded.
 */
export function closeServer(server: Server, graceMs = 3_000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}
