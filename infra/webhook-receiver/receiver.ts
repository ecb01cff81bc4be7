import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A webhook as the receiver keeps it (in memory, newest last). */
export interface ArrivedWebhook {
  n: number;
  receivedAt: string;
  path: string;
  id: string;
  timestamp: string;
  /** valid: a signature matched a known secret; invalid: none did; unknown: no secret known yet. */
  signature: "valid" | "invalid" | "unknown";
  /** The same webhook-id arrived before (a retry or a replay). */
  repeat: boolean;
  type: string | null;
  body: string;
  answered: number;
}

export interface WebhookReceiver {
  port: number;
  arrived: ArrivedWebhook[];
  secrets: string[];
  /** While down, every webhook is answered 503 (a council's system out of service). */
  down: boolean;
  close(): Promise<void>;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const TOLERANCE_SECONDS = 300;

/**
 * Standard Webhooks verification, written here on its own (infra imports nothing from server/),
 * so the demo checks PontePA's signatures the way a council's system would.
 */
export function signatureMatches(
  secret: string,
  id: string,
  timestamp: string,
  signatures: string,
  body: string,
): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const expected = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest();
  return signatures.split(" ").some((s) => {
    const [version, value] = s.split(",");
    const given = Buffer.from(value ?? "", "base64");
    return version === "v1" && given.length === expected.length && timingSafeEqual(given, expected);
  });
}

async function read(req: IncomingMessage, limit = 1_000_000): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error("too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * The demo's webhook receiver: stores what arrives on `POST /hooks` (or `/hooks/<anything>`),
 * verifies Standard Webhooks signatures with the secrets it was given (WEBHOOK_RECEIVER_SECRETS
 * or `POST /segreti`, the secret PontePA shows once), and shows an Italian list at `/`. JSON at
 * `GET /messages`; `DELETE /messages` empties it; `POST /fuori-servizio` and `POST /in-servizio`
 * make it answer 503 or 200, to watch retries and pauses. `GET /portale-ente/…?esito=…` stands in
 * for a council portal's return page after a payment it started (OTF).
 */
export async function startWebhookReceiver(options: {
  port: number;
  host?: string;
  secrets?: string[];
  max?: number;
}): Promise<WebhookReceiver> {
  const max = options.max ?? 1_000;
  const seen = new Set<string>();
  const state: WebhookReceiver = {
    port: 0,
    arrived: [],
    secrets: [...(options.secrets ?? [])],
    down: false,
    close: async () => undefined,
  };
  let n = 0;

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://receiver");
      const html = (status: number, body: string) =>
        res.writeHead(status, { "content-type": "text/html; charset=utf-8" }).end(body);
      if (url.pathname === "/healthz")
        return res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
      if (req.method === "POST" && (url.pathname === "/hooks" || url.pathname.startsWith("/hooks/"))) {
        const body = await read(req);
        const id = String(req.headers["webhook-id"] ?? "");
        const timestamp = String(req.headers["webhook-timestamp"] ?? "");
        const signatures = String(req.headers["webhook-signature"] ?? "");
        const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) <= TOLERANCE_SECONDS;
        const signature = !state.secrets.length
          ? "unknown"
          : fresh && state.secrets.some((s) => signatureMatches(s, id, timestamp, signatures, body))
            ? "valid"
            : "invalid";
        let type: string | null = null;
        try {
          type = (JSON.parse(body) as { type?: string }).type ?? null;
        } catch {
          type = null;
        }
        const answered = state.down ? 503 : signature === "invalid" ? 401 : 200;
        state.arrived.push({
          n: ++n,
          receivedAt: new Date().toISOString(),
          path: url.pathname,
          id,
          timestamp,
          signature,
          repeat: seen.has(id),
          type,
          body,
          answered,
        });
        if (answered === 200) seen.add(id);
        if (state.arrived.length > max) state.arrived.splice(0, state.arrived.length - max);
        return res
          .writeHead(answered, { "content-type": "text/plain; charset=utf-8" })
          .end(answered === 200 ? "ricevuto" : answered === 503 ? "fuori servizio" : "firma non valida");
      }
      if (url.pathname === "/messages" && req.method === "DELETE") {
        state.arrived.length = 0;
        seen.clear();
        return res.writeHead(204).end();
      }
      if (url.pathname === "/messages")
        return res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(state.arrived));
      if (req.method === "POST" && url.pathname === "/segreti") {
        const raw = await read(req, 10_000);
        const secret = (req.headers["content-type"] ?? "").includes("json")
          ? String((JSON.parse(raw) as { secret?: string }).secret ?? "")
          : (new URLSearchParams(raw).get("secret") ?? "");
        if (!/^whsec_[A-Za-z0-9+/=]{16,}$/.test(secret.trim()))
          return html(422, "<p>Segreto non valido: deve iniziare con whsec_</p>");
        state.secrets.push(secret.trim());
        return res.writeHead(303, { location: "/" }).end();
      }
      if (req.method === "POST" && (url.pathname === "/fuori-servizio" || url.pathname === "/in-servizio")) {
        state.down = url.pathname === "/fuori-servizio";
        return res.writeHead(303, { location: "/" }).end();
      }
      if (req.method === "GET" && url.pathname.startsWith("/portale-ente/")) {
        // A council portal's return page for the demo and e2e: where OTF payments come back to.
        const outcome = { ok: "pagamento riuscito", cancel: "pagamento annullato", error: "pagamento non riuscito" };
        const esito = url.searchParams.get("esito") ?? "";
        return html(
          200,
          `<!doctype html><html lang="it"><head><meta charset="utf-8"><title>Portale dell'ente (prova)</title></head><body>
<h1>Portale dell'ente: ${escape(outcome[esito as keyof typeof outcome] ?? "esito sconosciuto")}</h1>
<p>Pagamento <code id="payment-id">${escape(url.searchParams.get("paymentId") ?? "")}</code>, esito <code id="esito">${escape(esito)}</code>.</p></body></html>`,
        );
      }
      if (url.pathname !== "/" || req.method !== "GET") return res.writeHead(404).end();
      const label = {
        valid: "firma valida",
        invalid: "firma NON valida",
        unknown: "firma non verificata (nessun segreto)",
      };
      const rows = state.arrived
        .slice()
        .reverse()
        .map(
          (w) =>
            `<tr><td>${w.n}</td><td>${escape(w.receivedAt)}</td><td>${escape(w.type ?? "-")}</td><td><code>${escape(w.id)}</code>${w.repeat ? " (ripetuto)" : ""}</td><td>${label[w.signature]}</td><td>${w.answered}</td><td><details><summary>corpo</summary><pre>${escape(w.body)}</pre></details></td></tr>`,
        )
        .join("\n");
      html(
        200,
        `<!doctype html><html lang="it"><head><meta charset="utf-8"><title>Ricevitore webhook</title><style>body{font-family:sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem;text-align:left;vertical-align:top}pre{white-space:pre-wrap;background:#f3f3f3;padding:.5rem}</style></head><body>
<h1>Ricevitore webhook di prova (${state.arrived.length} ricevuti)</h1>
<p>Indirizzo da registrare nel back-office: <code>http://127.0.0.1:${state.port}/hooks</code>. Stato: ${state.down ? "<strong>fuori servizio</strong> (risponde 503)" : "in servizio"}. Segreti noti: ${state.secrets.length}.</p>
<form method="post" action="/segreti"><label for="secret">Segreto di firma (whsec_…)</label> <input id="secret" name="secret" size="60"> <button type="submit">Aggiungi il segreto</button></form>
<form method="post" action="${state.down ? "/in-servizio" : "/fuori-servizio"}"><button type="submit">${state.down ? "Rimetti in servizio" : "Metti fuori servizio"}</button></form>
<table><thead><tr><th>#</th><th>Arrivato</th><th>Evento</th><th>webhook-id</th><th>Firma</th><th>Risposta</th><th></th></tr></thead><tbody>${rows || '<tr><td colspan="7">Nessun webhook ricevuto.</td></tr>'}</tbody></table></body></html>`,
      );
    })().catch(() => {
      if (!res.headersSent) res.writeHead(400).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port, options.host ?? "127.0.0.1", () => resolve()));
  state.port = (server.address() as AddressInfo).port;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}
