import http from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  answered: boolean;
}

/**
 * A webhook receiver for tests: records each request with its Standard Webhooks headers and
 * answers with `respond` (a status, or "hang" to never answer). It can stop and start again on
 * the same port, as a council's server going down and coming back.
 */
export class TestReceiver {
  readonly received: Received[] = [];
  respond: (r: Received) => number | "hang" = () => 200;
  private server: http.Server | null = null;
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks`;
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const r: Received = {
          id: String(req.headers["webhook-id"]),
          timestamp: String(req.headers["webhook-timestamp"]),
          signature: String(req.headers["webhook-signature"]),
          body: Buffer.concat(chunks).toString("utf8"),
          answered: false,
        };
        this.received.push(r);
        const answer = this.respond(r);
        if (answer === "hang") return;
        r.answered = answer >= 200 && answer < 300;
        res.writeHead(answer, { "content-type": "text/plain" }).end(`ricevuto ${answer}`);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Requests answered 2xx for an event id. */
  acknowledged(id: string): number {
    return this.received.filter((r) => r.id === id && r.answered).length;
  }
}
