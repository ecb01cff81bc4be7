/**
 * SPID anomaly codes ("Tabella messaggi di anomalia" of the AgID technical rules).
 * Codes 2–18 concern malformed or untrusted requests: the IdP shows them on an error page and
 * sends nothing back to the SP, because it cannot trust the SP's endpoints. Codes 19–25 happen
 * while the user authenticates: they travel back to the SP as a SAML Status whose StatusMessage
 * is "ErrorCode nrNN".
 */
export const SPID_ERRORS = {
  2: "Indisponibilità del sistema",
  3: "Errore di sistema",
  4: "Formato binding non corretto",
  5: "Verifica della firma fallita",
  6: "Binding su metodo HTTP errato",
  7: "Errore sulla verifica della firma della richiesta",
  8: "Formato della richiesta non conforme alle specifiche SAML",
  9: "Parametro version non presente, malformato o diverso da ‘2.0’",
  10: "Issuer non presente, malformato o non corrispondente all'entità che sottoscrive la richiesta",
  11: "Identificatore richiesta (ID) non presente, malformato o non conforme",
  12: "RequestAuthnContext non presente, malformato o non previsto da SPID",
  13: "IssueInstant non presente, malformato o non coerente con l'orario di arrivo della richiesta",
  14: "Destination non presente, malformata o non coincidente con il Gestore delle identità ricevente la richiesta",
  15: "Attributo isPassive presente e attualizzato al valore true",
  16: "AssertionConsumerService non correttamente valorizzato",
  17: "Attributo Format dell'elemento NameIDPolicy assente o non valorizzato secondo specifica",
  18: "AttributeConsumingServiceIndex malformato o che riferisce a un valore non registrato nei metadati di SP",
  19: "Autenticazione fallita per ripetuta sottomissione di credenziali errate",
  20: "Utente privo di credenziali compatibili con il livello richiesto dal fornitore del servizio",
  21: "Timeout durante l'autenticazione utente",
  22: "Utente nega il consenso all'invio di dati al fornitore del servizio",
  23: "Utente con identità sospesa/revocata o con credenziali bloccate",
  25: "Processo di autenticazione annullato dall'utente",
} as const;

export type SpidErrorCode = keyof typeof SPID_ERRORS;

/** The user-facing codes that are returned to the SP as a SAML error Status. */
export type SpidStatusCode = 19 | 20 | 21 | 22 | 23 | 25;

const SAML_STATUS = "urn:oasis:names:tc:SAML:2.0:status:";

/** Second-level SAML StatusCode for each user-facing SPID error, as the SPID IdPs send them. */
export const STATUS_SUBCODE: Record<SpidStatusCode, string> = {
  19: `${SAML_STATUS}AuthnFailed`,
  20: `${SAML_STATUS}NoAuthnContext`,
  21: `${SAML_STATUS}AuthnFailed`,
  22: `${SAML_STATUS}RequestDenied`,
  23: `${SAML_STATUS}AuthnFailed`,
  25: `${SAML_STATUS}RequestDenied`,
};

/** A request the IdP refuses, with the SPID code to show and a technical detail for developers. */
export class SpidRequestError extends Error {
  constructor(
    readonly code: SpidErrorCode,
    readonly detail: string,
  ) {
    super(`SPID ${code}: ${detail}`);
  }
}
