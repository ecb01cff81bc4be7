import { z } from "zod";
import { MUTATION_LABELS } from "./response-mutations.ts";

/**
 * Test scenarios: each names the one way the Response deviates from a correct SPID Response, so
 * the SP's negative suite can check it refuses exactly that. Labels are Italian (login page).
 */
export const SCENARIOS = {
  ok: "Risposta corretta",
  "unsigned-assertion": "Asserzione non firmata (Response firmata)",
  "unsigned-response": "Response non firmata (asserzione firmata)",
  "signature-wrapping": "Signature wrapping: asserzione maligna non firmata prima di quella firmata",
  "wrong-audience": "Audience diversa dall'entityID del fornitore",
  "wrong-destination": "Destination della Response diversa dall'ACS",
  "wrong-recipient": "Recipient di SubjectConfirmationData diverso dall'ACS",
  "expired-assertion": "Asserzione scaduta (NotOnOrAfter nel passato)",
  "not-yet-valid": "Asserzione non ancora valida (NotBefore nel futuro)",
  "wrong-in-response-to": "InResponseTo diverso dall'ID della richiesta",
  "missing-in-response-to": "InResponseTo assente",
  "lower-level": "Livello inferiore a quello richiesto (SpidL1)",
  "extra-attributes": "Attributi non richiesti in aggiunta",
  "missing-attributes": "Manca un attributo richiesto",
  "issue-instant-before-request": "IssueInstant precedente a quello della richiesta",
  "tampered-attribute-after-signing": "fiscalNumber modificato dopo la firma",
  "signed-with-other-key": "Firmata con una chiave diversa da quella dei metadati",
  "signed-with-rsa-sha1": "Firmata con la chiave dell'IdP ma con RSA-SHA1 (vietato da SPID)",
  "wrong-issuer": "Issuer diverso dall'entityID dell'IdP",
  replay: "Reinvio dell'ultima Response già inviata",
  "status-nr19": "Errore nr19: ripetuta sottomissione di credenziali errate",
  "status-nr20": "Errore nr20: utente privo di credenziali compatibili con il livello",
  "status-nr21": "Errore nr21: timeout durante l'autenticazione",
  "status-nr22": "Errore nr22: l'utente nega il consenso",
  "status-nr23": "Errore nr23: credenziali sospese o revocate",
  "status-nr25": "Errore nr25: autenticazione annullata dall'utente",
  // AgID's validator cases, one field each (response-mutations.ts).
  ...MUTATION_LABELS,
};

export type Scenario = keyof typeof SCENARIOS;

export const scenarioSchema = z.enum(Object.keys(SCENARIOS) as [Scenario, ...Scenario[]]);

export const setScenarioBodySchema = z.object({
  scenario: scenarioSchema,
  once: z.boolean().optional().default(false),
});

/** The scenario chosen through the admin API, applied to the next Response(s). */
export class ScenarioState {
  private scenario: Scenario = "ok";
  private once = false;

  set(scenario: Scenario, once: boolean): void {
    this.scenario = scenario;
    this.once = once;
  }

  current(): { scenario: Scenario; once: boolean } {
    return { scenario: this.scenario, once: this.once };
  }

  /** Returns the scenario for one Response; a one-shot scenario falls back to "ok" afterwards. */
  take(): Scenario {
    const taken = this.scenario;
    if (this.once) this.set("ok", false);
    return taken;
  }
}
