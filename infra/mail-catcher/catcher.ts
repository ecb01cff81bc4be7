import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

/** A message as the catcher keeps it (in memory, newest last). */
export interface CaughtMessage {
  id: number;
  receivedAt: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string | null;
  attachments: Array<{ filename: string | null; contentType: string; size: number }>;
}

export interface MailCatcher {
  smtpPort: number;
  httpPort: number;
  messages: CaughtMessage[];
  close(): Promise<void>;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A development SMTP server that accepts every message (no auth, no relay) and shows them: the
 * platform's e-mails to citizens land here instead of in real mailboxes. HTTP: `GET /` (an
 * Italian list), `GET /messages` (JSON, `?to=` filters by recipient), `DELETE /messages`.
 * Keeps at most `max` messages.
 */
export async function startMailCatcher(options: {
  smtpPort: number;
  httpPort: number;
  host?: string;
  max?: number;
}): Promise<MailCatcher> {
  const host = options.host ?? "127.0.0.1";
  const max = options.max ?? 500;
  const messages: CaughtMessage[] = [];
  let next = 1;

  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    size: 10 * 1024 * 1024,
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          messages.push({
            id: next++,
            receivedAt: new Date().toISOString(),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            subject: mail.subject ?? "",
            text: mail.text ?? "",
            html: typeof mail.html === "string" ? mail.html : null,
            attachments: mail.attachments.map((a) => ({
              filename: a.filename ?? null,
              contentType: a.contentType,
              size: a.size,
            })),
          });
          if (messages.length > max) messages.splice(0, messages.length - max);
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });
  await new Promise<void>((resolve, reject) => {
    smtp.once("error", reject);
    smtp.listen(options.smtpPort, host, () => resolve());
  });

  const http: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://catcher");
    if (url.pathname === "/healthz")
      return void res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
    if (url.pathname === "/messages" && req.method === "DELETE") {
      messages.length = 0;
      return void res.writeHead(204).end();
    }
    const to = url.searchParams.get("to")?.toLowerCase();
    const shown = to ? messages.filter((m) => m.to.includes(to)) : messages;
    if (url.pathname === "/messages")
      return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(shown));
    if (url.pathname !== "/") return void res.writeHead(404).end();
    const rows = shown
      .slice()
      .reverse()
      .map(
        (m) =>
          `<article><h2>${escape(m.subject)}</h2><p>A: ${escape(m.to.join(", "))} · ${escape(m.receivedAt)}${m.attachments.length ? ` · allegati: ${m.attachments.map((a) => escape(a.filename ?? "senza nome")).join(", ")}` : ""}</p><pre>${escape(m.text)}</pre></article>`,
      )
      .join("\n");
    res
      .writeHead(200, { "content-type": "text/html; charset=utf-8" })
      .end(
        `<!doctype html><html lang="it"><head><meta charset="utf-8"><title>Posta di sviluppo</title><style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}pre{white-space:pre-wrap;background:#f3f3f3;padding:1rem}</style></head><body><h1>Posta di sviluppo (${shown.length} messaggi)</h1>${rows || "<p>Nessun messaggio.</p>"}</body></html>`,
      );
  });
  await new Promise<void>((resolve) => http.listen(options.httpPort, host, () => resolve()));

  return {
    smtpPort: (smtp.server.address() as AddressInfo).port,
    httpPort: (http.address() as AddressInfo).port,
    messages,
    close: async () => {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
