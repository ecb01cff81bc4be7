import Handlebars from "handlebars";

export interface StaffInvitationEmailView {
  /** The invited person's first name. */
  name: string;
  council: string;
  /** The role in Italian ("Operatore"), never the realm's group path. */
  role: string;
  backofficeUrl: string;
  /** The realm also sent a link to choose a password (new account, or one still waiting). */
  passwordMailSent: boolean;
}

// The realm's own e-mail (Keycloak's execute-actions) cannot name the council or the role: its
// templates know only the realm and the user. This one says who gave access to what, in Italian.
const html = Handlebars.compile<StaffInvitationEmailView>(
  `<!doctype html><html lang="it"><body style="font-family:sans-serif;line-height:1.5">
<p>Gentile {{name}},</p>
<p>ti è stato dato accesso al back-office dei pagamenti pagoPA di <strong>{{council}}</strong> con il ruolo di <strong>{{role}}</strong>.</p>
{{#if passwordMailSent}}<p>Riceverai a parte un'e-mail del sistema di identità della Regione con il collegamento per scegliere la password. Dopo averla scelta, entra da qui:<br><a href="{{backofficeUrl}}">{{backofficeUrl}}</a></p>
{{else}}<p>Entra con le credenziali che usi già:<br><a href="{{backofficeUrl}}">{{backofficeUrl}}</a></p>
{{/if}}<p>Se non ti aspettavi questo messaggio, avvisa l'amministratore dell'ente o l'assistenza regionale.</p>
<p>Questo messaggio è stato inviato automaticamente, non rispondere.</p>
</body></html>`,
  { strict: true },
);

export function staffInvitationEmail(view: StaffInvitationEmailView): { subject: string; text: string; html: string } {
  return {
    subject: `Accesso al back-office pagoPA di ${view.council}`,
    text: [
      `Gentile ${view.name},`,
      "",
      `ti è stato dato accesso al back-office dei pagamenti pagoPA di ${view.council} con il ruolo di ${view.role}.`,
      "",
      view.passwordMailSent
        ? "Riceverai a parte un'e-mail del sistema di identità della Regione con il collegamento per scegliere la password. Dopo averla scelta, entra da qui:"
        : "Entra con le credenziali che usi già:",
      view.backofficeUrl,
      "",
      "Se non ti aspettavi questo messaggio, avvisa l'amministratore dell'ente o l'assistenza regionale.",
      "Questo messaggio è stato inviato automaticamente, non rispondere.",
    ].join("\n"),
    html: html(view),
  };
}
