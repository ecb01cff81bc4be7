import nodemailer from "nodemailer";

/** What the realm e-mails: today only Keycloak's "execute actions" message (set a password). */
export interface RealmMailer {
  sendActionsEmail(to: { email: string; name: string }, link: string, expiresAt: number): Promise<void>;
  close(): void;
}

const SENDER = "PontePA (ambiente di sviluppo) <noreply@pontepa.invalid>";

/**
 * Sends the realm's e-mails through SMTP, as Keycloak does with the realm's SMTP settings: in
 * development the mail catcher (`DEV_IDP_SMTP_URL`), so the invited person's link can be read.
 */
export function createRealmMailer(smtpUrl: string): RealmMailer {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async sendActionsEmail(to, link, expiresAt) {
      const until = new Intl.DateTimeFormat("it-IT", {
        dateStyle: "long",
        timeStyle: "short",
        timeZone: "Europe/Rome",
      }).format(expiresAt);
      const greeting = to.name ? `Gentile ${to.name},` : "Gentile utente,";
      const text = [
        greeting,
        "",
        "l'amministratore del tuo ente ti ha dato accesso all'area riservata di PontePA.",
        "Per completare l'accesso scegli la tua password da questo collegamento:",
        "",
        link,
        "",
        `Il collegamento vale una sola volta, fino al ${until}.`,
        "Se non ti aspettavi questo messaggio, ignoralo.",
      ].join("\n");
      const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
      const html = `<!doctype html><html lang="it"><body style="font-family:sans-serif;line-height:1.5">
<p>${esc(greeting)}</p>
<p>l'amministratore del tuo ente ti ha dato accesso all'area riservata di PontePA. Per completare l'accesso scegli la tua password:</p>
<p><a href="${esc(link)}">Imposta la password</a></p>
<p>Il collegamento vale una sola volta, fino al ${esc(until)}. Se non ti aspettavi questo messaggio, ignoralo.</p>
</body></html>`;
      await transport.sendMail({
        from: SENDER,
        to: to.email,
        subject: "Completa il tuo accesso a PontePA",
        text,
        html,
      });
    },
    close: () => transport.close(),
  };
}
