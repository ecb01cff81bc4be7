import type { FieldLabels } from "../shared/form-errors.ts";

// The labels of each back-office form, by the use case's input path, as the form's <label>s
// read: every validation message names its field with them (issue 12, item 7).

export const ACCOUNT_LABELS: FieldLabels = {
  iban: "IBAN",
  holder: "Intestatario",
  description: "Descrizione",
  effectiveFrom: "Decorrenza",
  replacesIban: "Sostituisce",
};

export const NEW_TENANT_LABELS: FieldLabels = {
  name: "Denominazione",
  fiscalCode: "Codice fiscale",
  ipaCode: "Codice IPA",
  stationCode: "Stazione",
  segregationCode: "Codice di segregazione",
  cbill: "Codice CBILL",
  postalAccount: "Conto corrente postale",
  contactEmail: "E-mail di contatto",
};

export const TENANT_LABELS: FieldLabels = {
  name: "Denominazione",
  status: "Stato",
  segregationCode: "Codice di segregazione",
  cbill: "Codice CBILL",
  contactEmail: "E-mail di contatto",
  logoUrl: "Indirizzo del logo",
};

export const GO_LIVE_LABELS: FieldLabels = {
  liveStationCode: "Stazione di produzione",
  effectiveOn: "In esercizio dal",
  reason: "Motivo",
};

export const STATION_LABELS: FieldLabels = {
  description: "Descrizione",
  enabled: { label: "Stazione attiva", id: "enabled" },
  clientCertFingerprint: "Impronta SHA-256 del certificato client del Nodo",
  newSubscriptionKey: "Nuova chiave di sottoscrizione",
  removeSubscriptionKey: "Non richiedere più la chiave",
  allowedSources: "Indirizzi ammessi",
};

export const INVITE_LABELS: FieldLabels = { nome: "Nome", cognome: "Cognome", email: "E-mail", ruolo: "Ruolo" };

export const CANCEL_LABELS: FieldLabels = {
  reason: { label: "Motivo dell'annullamento", id: "motivo" },
  motivo: "Motivo dell'annullamento",
  conferma: "Confermo l'annullamento",
};

export const COUNTER_LABELS: FieldLabels = {
  paymentTypeCode: "Tipo di pagamento",
  subject: "Causale",
  debtor: { label: "Debitore", id: "fiscalCode" },
  "debtor.type": { label: "Tipo di debitore", id: "debtorType" },
  "debtor.fiscalCode": { label: "Codice fiscale o partita IVA", id: "fiscalCode" },
  "debtor.name": { label: "Nome e cognome o ragione sociale", id: "name" },
  "debtor.email": { label: "E-mail", id: "email" },
  single: { label: "Importi e scadenze", id: "unica_importo" },
  "single.amountCents": { label: "Importo dell'unica soluzione", id: "unica_importo" },
  "single.dueDate": { label: "Scadenza dell'unica soluzione", id: "unica_scadenza" },
  installments: { label: "Importi e scadenze", id: "rata1_importo" },
  "installments.*": { label: "Rata {n}", id: "rata{n}_importo" },
  "installments.*.amountCents": { label: "Importo rata {n}", id: "rata{n}_importo" },
  "installments.*.dueDate": { label: "Scadenza rata {n}", id: "rata{n}_scadenza" },
};

export const POSITION_SEARCH_LABELS: FieldLabels = {
  nav: "Codice avviso",
  iuv: "IUV",
  fiscalCode: "Codice fiscale",
  name: "Nome del debitore",
  status: "Stato",
  paymentTypeCode: "Tipo di pagamento",
  from: "Creata dal",
  to: "Creata al",
  page: { label: "Pagina", id: "nav" },
};

export const PAYMENT_SEARCH_LABELS: FieldLabels = {
  from: "Ricevuti dal",
  to: "Ricevuti al",
  outcome: "Esito",
  page: { label: "Pagina", id: "from" },
};

export const HELPDESK_LABELS: FieldLabels = {
  nav: { label: "Valore", id: "valore" },
  iuv: { label: "Valore", id: "valore" },
  receiptId: { label: "Valore", id: "valore" },
  fiscalCode: { label: "Valore", id: "valore" },
  valore: "Valore",
};

export const PAYMENT_TYPE_LABELS: FieldLabels = {
  code: "Codice",
  name: "Nome del servizio",
  description: "Descrizione per il cittadino",
  taxonomyCode: "Codice tassonomico pagoPA",
  accountingChapter: "Capitolo di bilancio",
  defaultAssessment: "Accertamento",
  validFrom: "Valido dal",
  validTo: "Valido fino al",
  availableOnPortal: { label: "Disponibile sul portale", id: "availableOnPortal" },
  availableAtCounter: { label: "Disponibile allo sportello", id: "availableAtCounter" },
  availableAtPsp: { label: "Disponibile presso i prestatori", id: "availableAtPsp" },
  defaultTransfers: { label: "Beneficiari e conti di accredito", id: "conto0_iban", section: true },
  "defaultTransfers.*": { label: "Beneficiario {n}", id: "conto{i}_iban" },
  "defaultTransfers.*.accountIban": { label: "IBAN beneficiario {n}", id: "conto{i}_iban" },
  "defaultTransfers.*.beneficiaryFiscalCode": { label: "Ente beneficiario {n} (C.F.)", id: "conto{i}_ente" },
  "defaultTransfers.*.shareBasisPoints": { label: "Quota % beneficiario {n}", id: "conto{i}_quota" },
  formDefinition: { label: "Modulo di pagamento spontaneo", id: "causale", section: true },
  "formDefinition.subjectTemplate": { label: "Causale", id: "causale" },
  "formDefinition.fields": { label: "Campi del modulo", id: "campo0_nome" },
  "formDefinition.fields.*": { label: "Campo {n}", id: "campo{i}_nome" },
  "formDefinition.fields.*.name": { label: "Nome tecnico del campo {n}", id: "campo{i}_nome" },
  "formDefinition.fields.*.label": { label: "Etichetta del campo {n}", id: "campo{i}_etichetta" },
  "formDefinition.fields.*.type": { label: "Tipo del campo {n}", id: "campo{i}_tipo" },
  "formDefinition.fields.*.pattern": { label: "Formato del campo {n}", id: "campo{i}_formato" },
  "formDefinition.fields.*.help": { label: "Testo di aiuto del campo {n}", id: "campo{i}_aiuto" },
  "formDefinition.fields.*.options": { label: "Voci dell'elenco del campo {n}", id: "campo{i}_valori" },
  amountRule: { label: "Regola per l'importo", id: "regola", section: true },
  "amountRule.kind": { label: "Tipo di regola", id: "regola" },
  "amountRule.amountCents": { label: "Importo fisso (€)", id: "regola_importo" },
  "amountRule.field": { label: "Campo che decide l'importo", id: "regola_campo" },
  "amountRule.minCents": { label: "Minimo (€)", id: "regola_minimo" },
  "amountRule.maxCents": { label: "Massimo (€)", id: "regola_massimo" },
  "amountRule.choices": { label: "Voci con importo", id: "regola_voci" },
  "amountRule.choices.*": { label: "Voce {n} con importo", id: "regola_voci" },
  "amountRule.plugin": { label: "Estensione dell'ente", id: "regola_plugin" },
  tariffs: { label: "Tariffe allo sportello", id: "tariffe" },
  "tariffs.*": { label: "Tariffa {n}", id: "tariffe" },
};
