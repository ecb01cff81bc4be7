/** Italian labels of the keys audited today (tenancy, catalog, positions, staff); unknown keys show as they are. */
export const AUDIT_FIELD_LABELS: Record<string, string> = {
  id: "Identificativo",
  tenantId: "Ente",
  code: "Codice",
  name: "Nome",
  description: "Descrizione",
  taxonomyCode: "Codice tassonomico",
  accountingChapter: "Capitolo di bilancio",
  defaultAssessment: "Accertamento",
  defaultTransfers: "Ripartizione sui conti",
  availableOnPortal: "Disponibile sul portale",
  availableAtCounter: "Disponibile allo sportello",
  availableAtPsp: "Disponibile presso i PSP",
  formDefinition: "Campi del modulo",
  amountRule: "Regola dell'importo",
  validFrom: "Valido dal",
  validTo: "Valido fino al",
  active: "Attivo",
  createdAt: "Creato il",
  updatedAt: "Modificato il",
  iban: "IBAN",
  isPostal: "Conto postale",
  holder: "Intestatario",
  effectiveFrom: "In vigore dal",
  effectiveTo: "In vigore fino al",
  status: "Stato",
  reason: "Motivo",
  roles: "Ruoli",
  email: "E-mail",
  created: "Account creato",
  emailSent: "E-mail inviata",
  incomplete: "Operazione incompleta",
  rolesAdded: "Ruoli aggiunti",
  complete: "Completata",
  paymentTypeCodes: "Tipi di pagamento consentiti",
  iupd: "Identificativo della posizione",
  subject: "Causale",
  options: "Opzioni di pagamento",
  nav: "Codice avviso",
  amountCents: "Importo",
  kind: "Tipo",
  query: "Ricerca",
  operation: "Operazione",
  ipaCode: "Codice IPA",
  fiscalCode: "Codice fiscale",
  segregationCode: "Codice di segregazione",
  stationId: "Stazione",
  intermediaryId: "Intermediario",
};

/** One row of the audit log's before/after table. */
export interface AuditChange {
  label: string;
  before: string;
  after: string;
}

const label = (key: string) => AUDIT_FIELD_LABELS[key] ?? key;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const romeTime = new Intl.DateTimeFormat("it-IT", { timeZone: "Europe/Rome", dateStyle: "short", timeStyle: "short" });
const euro = new Intl.NumberFormat("it-IT", { style: "currency", currency: "EUR" });

/** A value as a clerk reads it: yes/no, amounts in euro, instants in Rome time, nested data as "Etichetta: valore". */
export function readableValue(value: unknown, key = ""): string {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "boolean") return value ? "sì" : "no";
  if (typeof value === "number") return key.endsWith("Cents") ? euro.format(value / 100) : String(value);
  if (value instanceof Date) return romeTime.format(value);
  if (typeof value === "string") return ISO_INSTANT.test(value) ? romeTime.format(new Date(value)) : value;
  if (Array.isArray(value)) return value.length ? value.map((v) => readableValue(v, key)).join("; ") : "—";
  return Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${label(k)}: ${readableValue(v, k)}`)
    .join(", ");
}

/** The audit entry's before/after as rows (field label, before, after): every key of either side, once. */
export function auditChanges(before: unknown, after: unknown): AuditChange[] {
  const obj = (v: unknown): Record<string, unknown> =>
    v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : v == null ? {} : { valore: v };
  const b = obj(before);
  const a = obj(after);
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return keys.map((k) => ({ label: label(k), before: readableValue(b[k], k), after: readableValue(a[k], k) }));
}
