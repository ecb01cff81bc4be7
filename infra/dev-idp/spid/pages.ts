import { DEMO_OTP_HINT, DEMO_PASSWORD, SPID_FLAVOUR, type IdpFlavour } from "./identities.ts";
import { SCENARIOS } from "./scenarios.ts";
import { SPID_ERRORS, type SpidErrorCode } from "./spid-errors.ts";
import { esc } from "./xml.ts";

const STYLE = `body{font-family:"Titillium Web",system-ui,sans-serif;margin:0;color:#17324d;background:#f5f7fb}
header{background:#0066cc;color:#fff;padding:1rem 1.5rem}header p{margin:.25rem 0 0}
main{max-width:42rem;margin:1.5rem auto;background:#fff;padding:1.5rem;border-radius:4px}
label{display:block;font-weight:600;margin-top:1rem}input,select{font-size:1rem;padding:.5rem;width:100%;box-sizing:border-box}
button{font-size:1rem;padding:.6rem 1.2rem;margin:1.2rem .5rem 0 0;border-radius:4px;border:2px solid #0066cc;cursor:pointer}
.primary{background:#0066cc;color:#fff}.secondary{background:#fff;color:#0066cc}
.alert{border-left:4px solid #d9364f;background:#fdf2f4;padding:.75rem 1rem}
table{border-collapse:collapse;width:100%;margin-top:.5rem}th,td{text-align:left;padding:.35rem;border-bottom:1px solid #ccd}
:focus{outline:3px solid #ff9900;outline-offset:2px}details{margin-top:1.5rem}`;

function layout(title: string, body: string, label = "SPID"): string {
  return `<!doctype html><html lang="it"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)} – IdP ${label} di test</title>
<style>${STYLE}</style></head><body>
<header><strong>IdP ${label} di test PontePA</strong><p>Solo per sviluppo e collaudo: nessuna identità reale.</p></header>
<main id="contenuto">${body}</main></body></html>`;
}

export interface LoginView {
  /** SPID or CIE ID (default SPID). */
  flavour?: IdpFlavour;
  token: string;
  spEntityId: string;
  level: number;
  attributes: string[];
  username?: string;
  error?: string;
  /** The scenario set through the admin API, shown (not preselected) so a one-shot one is consumed. */
  adminScenario: string;
}

/** The login page: username and password, plus an OTP field when SpidL2 or more is required. */
export function loginPage(view: LoginView): string {
  const otp =
    view.level >= 2
      ? `<label for="otp">Codice OTP (6 cifre)</label>
<input id="otp" name="otp" inputmode="numeric" pattern="[0-9]{6}" autocomplete="one-time-code" required aria-describedby="otp-aiuto">
<p id="otp-aiuto">Ambiente di test: va bene qualsiasi codice di 6 cifre, ad esempio ${DEMO_OTP_HINT}.</p>`
      : "";
  const options = Object.entries(SCENARIOS)
    .map(([key, label]) => `<option value="${key}">${esc(key)}: ${esc(label)}</option>`)
    .join("");
  const flavour = view.flavour ?? SPID_FLAVOUR;
  const label = flavour.label;
  const identities = flavour.identities
    .map(
      (i) =>
        `<tr><td>${esc(`${i.attributes.name} ${i.attributes.familyName}`)}</td><td>${esc(i.username)}</td>` +
        `<td>${esc(i.attributes.fiscalNumber?.replace("TINIT-", "") ?? "")}</td><td>livello 1 e 2</td></tr>`,
    )
    .join("");
  const attrs =
    view.attributes.length > 0
      ? view.attributes.map(esc).join(", ")
      : "nessun attributo (solo l'identificativo di sessione)";
  return layout(
    `Accedi con ${label}`,
    `<h1>Accedi con ${label}</h1>
<p>Il servizio <strong>${esc(view.spEntityId)}</strong> chiede un accesso di livello <strong>${label} ${view.level}</strong>
e riceverà: ${attrs}.</p>
${view.error ? `<div class="alert" role="alert"><p>${esc(view.error)}</p></div>` : ""}
<form method="post" action="login">
<input type="hidden" name="token" value="${esc(view.token)}">
<label for="username">Nome utente o codice fiscale</label>
<input id="username" name="username" autocomplete="username" value="${esc(view.username ?? "")}" required>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
${otp}
<details><summary>Scenario di test</summary>
<label for="scenario">Risposta da inviare al fornitore del servizio</label>
<select id="scenario" name="scenario"><option value="" selected>predefinito (API di amministrazione: ${esc(view.adminScenario)})</option>${options}</select>
</details>
<button class="primary" type="submit" name="action" value="login">Entra con ${label}</button>
<button class="secondary" type="submit" name="action" value="cancel" formnovalidate>Annulla</button>
</form>
<h2>Identità di prova</h2>
<p>La password di tutte le identità è <code>${DEMO_PASSWORD}</code>.</p>
<table><thead><tr><th scope="col">Nome</th><th scope="col">Nome utente</th><th scope="col">Codice fiscale</th><th scope="col">Livelli</th></tr></thead>
<tbody>${identities}</tbody></table>`,
    label,
  );
}

/** The page that hands the SAML message to the SP: auto-submits, with a visible button without JS. */
export function postFormPage(input: {
  action: string;
  field: "SAMLResponse" | "SAMLRequest";
  message: string;
  relayState?: string;
}): string {
  const relay =
    input.relayState === undefined ? "" : `<input type="hidden" name="RelayState" value="${esc(input.relayState)}">`;
  return layout(
    "Ritorno al servizio",
    `<h1>Ritorno al servizio</h1>
<form method="post" action="${esc(input.action)}" id="saml-form">
<input type="hidden" name="${input.field}" value="${esc(input.message)}">${relay}
<p>Se la pagina non prosegue da sola, premi Continua.</p>
<button class="primary" type="submit">Continua</button></form>
<script>document.getElementById("saml-form").submit();</script>`,
  );
}

/** The error page for requests the IdP refuses, showing the SPID anomaly code. */
export function errorPage(code: SpidErrorCode, detail: string): string {
  return layout(
    `Errore ${code}`,
    `<h1>Richiesta non valida</h1>
<div class="alert" role="alert" data-spid-error-code="${code}">
<p><strong>Codice di errore SPID ${code}</strong>: ${esc(SPID_ERRORS[code])}.</p></div>
<p>Torna al sito del servizio e riprova. Se il problema persiste, contatta il fornitore del servizio.</p>
<details><summary>Dettagli tecnici</summary><p>${esc(detail)}</p></details>`,
  );
}

/** A plain confirmation page, e.g. after a logout that has nowhere to return to. */
export function messagePage(title: string, text: string): string {
  return layout(title, `<h1>${esc(title)}</h1><p>${esc(text)}</p>`);
}
