import type { Database } from "../../platform/db/database.ts";
import type { Mailer } from "../../platform/mail/mailer.ts";
import { AppError } from "../../platform/errors.ts";
import { linkHash } from "./request-adhesion.ts";

const TOKEN = /^[\w-]{43}$/;

/**
 * The request behind a council's secret link (the link is the access check, as for receipts):
 * only its IPA code is returned, the caller then works on the request by that code.
 * @throws AppError NOT_FOUND for an unknown or malformed link
 */
export async function requestByCouncilLink(db: Database, token: string): Promise<string> {
  const found = TOKEN.test(token)
    ? await db.withPlatformScope("adhesion: the council's link", (tx) =>
        tx.adhesionRequest.findUnique({ where: { councilLinkHash: linkHash(token) }, select: { ipaCode: true } }),
      )
    : null;
  if (!found) throw new AppError("NOT_FOUND", "Collegamento non valido o scaduto", 404);
  return found.ipaCode;
}

/**
 * E-mails the council (its contact person, else its PEC) the link through which it does its
 * steps before it has staff accounts: download the letter, upload it signed, fill in the
 * information form. Returns false when there is no address or the mail server refused.
 */
export async function sendCouncilLink(
  mailer: Pick<Mailer, "send">,
  publicBaseUrl: string,
  r: { name: string; contactName: string | null; contactEmail: string | null; pecEmail: string | null },
  token: string,
): Promise<boolean> {
  const to = r.contactEmail ?? r.pecEmail;
  if (!to) return false;
  const url = `${publicBaseUrl.replace(/\/+$/, "")}/adesione/richiesta/${token}`;
  const greeting = r.contactName ? `Gentile ${r.contactName},` : "Gentile ente,";
  const text = [
    greeting,
    "",
    `la richiesta di adesione di ${r.name} alla piattaforma dei pagamenti pagoPA della Regione è stata registrata.`,
    "Da questo collegamento personale potete scaricare la lettera di adesione, caricarla firmata digitalmente e compilare la scheda informativa:",
    url,
    "",
    "Non inoltrate questo messaggio: il collegamento dà accesso alla richiesta del vostro ente.",
  ].join("\n");
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const html = `<!doctype html><html lang="it"><body style="font-family:sans-serif;line-height:1.5">${text
    .split("\n")
    .map((l) => (l === url ? `<p><a href="${esc(url)}">${esc(url)}</a></p>` : l ? `<p>${esc(l)}</p>` : ""))
    .join("")}</body></html>`;
  return mailer.send({ to, subject: `Adesione di ${r.name} alla piattaforma pagoPA`, text, html }).then(
    () => true,
    () => false,
  );
}
