import Handlebars from "handlebars";

export interface ReceiptEmailView {
  council: string;
  total: string;
  paidAt: string;
  nav: string;
  link: string;
}

// Plain, short and Italian: what a citizen needs to find the receipt again. Values are escaped.
const html = Handlebars.compile<ReceiptEmailView>(
  `<!doctype html><html lang="it"><body style="font-family:sans-serif;line-height:1.5">
<p>Gentile utente,</p>
<p>il pagamento di <strong>{{total}} euro</strong> a favore di <strong>{{council}}</strong> (codice avviso {{nav}}) è stato eseguito il {{paidAt}}.</p>
<p>La ricevuta è allegata a questo messaggio ed è sempre disponibile a questo indirizzo:<br><a href="{{link}}">{{link}}</a></p>
<p>Conserva questo messaggio: il collegamento è personale e vale come accesso alla ricevuta.</p>
<p>Questo messaggio è stato inviato automaticamente, non rispondere.</p>
</body></html>`,
  { strict: true },
);

export function receiptEmail(view: ReceiptEmailView): { subject: string; text: string; html: string } {
  return {
    subject: `Ricevuta di pagamento pagoPA - ${view.council}`,
    text: [
      "Gentile utente,",
      "",
      `il pagamento di ${view.total} euro a favore di ${view.council} (codice avviso ${view.nav}) è stato eseguito il ${view.paidAt}.`,
      "",
      "La ricevuta è allegata a questo messaggio ed è sempre disponibile a questo indirizzo:",
      view.link,
      "",
      "Conserva questo messaggio: il collegamento è personale e vale come accesso alla ricevuta.",
      "Questo messaggio è stato inviato automaticamente, non rispondere.",
    ].join("\n"),
    html: html(view),
  };
}
