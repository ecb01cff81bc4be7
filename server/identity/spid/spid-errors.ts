/** What the citizen reads for each SPID anomaly the IdP reports (AgID "tabella messaggi di anomalia"). */
export const SPID_STATUS_MESSAGES: Record<number, string> = {
  19: "Autenticazione non riuscita: sono state inserite troppe volte credenziali errate.",
  20: "Le tue credenziali SPID non consentono il livello di sicurezza richiesto da questo servizio.",
  21: "Il tempo a disposizione per l'autenticazione è scaduto. Riprova.",
  22: "Hai negato il consenso all'invio dei dati: senza di esso non puoi accedere al servizio.",
  23: "La tua identità SPID risulta sospesa o revocata. Rivolgiti al tuo gestore di identità.",
  25: "Hai annullato l'autenticazione.",
};

/** A refused SPID response: `reason` for logs, `message` (Italian) for the citizen. */
export class SpidLoginError extends Error {
  constructor(
    readonly reason: string,
    override readonly message: string,
    readonly spidCode: number | null = null,
  ) {
    super(message);
    this.name = "SpidLoginError";
  }
}

/** Generic: a response that fails a security check never says which, to the browser. */
export const INVALID_RESPONSE = "La risposta del gestore di identità non è valida. Riprova ad accedere.";
