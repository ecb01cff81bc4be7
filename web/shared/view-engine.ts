import path from "node:path";
import type { Express } from "express";
import { engine } from "express-handlebars";
import Handlebars from "handlebars";
import { formatCentsIt, formatDateIt, formatDateTimeIt, formatNavForPrint } from "../../server/pagopa/index.ts";
import type { AuditAction } from "../../server/audit/index.ts";

const webRoot = path.resolve(import.meta.dirname, "..");

const TENANT_STATUS: Record<string, string> = {
  ONBOARDING: "in attivazione",
  TEST: "in collaudo",
  LIVE: "in esercizio",
  SUSPENDED: "sospeso",
};
const POSITION_STATUS: Record<string, string> = {
  DRAFT: "Bozza",
  VALID: "Da pagare",
  PARTIALLY_PAID: "Pagata in parte",
  PAID: "Pagata",
  EXPIRED: "Scaduta",
  CANCELLED: "Annullata",
  REPORTED: "Rendicontata",
};
const ORIGIN: Record<string, string> = {
  PORTAL: "Portale dei pagamenti",
  COUNTER: "Sportello",
  API: "Gestionale dell'ente (API)",
  FILE: "Caricamento da file",
  PSP: "Pagamento spontaneo presso un PSP",
  SEED: "Dati dimostrativi",
};
/** The Italian label of every audit action (the type makes a missing one a compile error). */
export const AUDIT_ACTION_LABELS: Record<AuditAction, string> = {
  "position.create": "Posizione creata",
  "position.cancel": "Posizione annullata",
  "position.update": "Posizione modificata",
  "import.upload": "File di posizioni caricato",
  "import.chunk": "Blocco di righe del file applicato",
  "notices.print-run": "Stampa massiva di avvisi avviata",
  "position.mark-paid": "Posizione segnata come pagata fuori pagoPA",
  "receipt.register": "Ricevuta registrata",
  "helpdesk.read": "Consultata dall'assistenza regionale",
  "helpdesk.overview": "Stato degli enti consultato",
  "payment-type.created": "Tipo di pagamento creato",
  "payment-type.updated": "Tipo di pagamento modificato",
  "payment-type.from-template": "Tipo di pagamento copiato dal catalogo regionale",
  "council-profile.updated": "Colori, informativa privacy o contatti dell'ente cambiati",
  "council-profile.logo-changed": "Logo dell'ente cambiato",
  "council-profile.logo-removed": "Logo dell'ente rimosso",
  "creditor-account.added": "Conto di accredito aggiunto",
  "creditor-account.closed": "Conto di accredito chiuso",
  "membership.restrict": "Abilitazioni dell'operatore cambiate",
  "staff.invite": "Persona invitata",
  "staff.role": "Ruolo di una persona cambiato",
  "staff.remove": "Accesso di una persona rimosso",
  "tenant.update": "Dati dell'ente cambiati",
  "tenant.create": "Ente creato",
  "tenant.identity-groups": "Gruppi dell'ente creati nel sistema di accesso",
  "tenant.go-live-scheduled": "Passaggio in esercizio programmato",
  "tenant.go-live": "Ente passato in esercizio",
  "tenant.go-live-cancelled": "Passaggio in esercizio annullato",
  "tenant.go-live-reverted": "Ente riportato in collaudo",
  "tenant.aca-switch": "Allineamento Stand-In (ACA) cambiato",
  "tenant.daily-exports": "Esportazione giornaliera dei pagati cambiata",
  "station.update": "Impostazioni della stazione cambiate",
  "webhook.create": "Webhook creato",
  "webhook.rotate-secret": "Segreto del webhook rinnovato",
  "webhook.pause": "Webhook sospeso",
  "webhook.resume": "Webhook riattivato",
  "webhook.replay": "Eventi del webhook reinviati",
  "tenant.preproduction-run": "Collaudo automatico avviato",
  "tenant.preproduction-approved": "Verbale di collaudo approvato",
  "webhook.update": "Webhook modificato",
  "webhook.delete": "Webhook eliminato",
  "api-client.create": "Client API creato",
  "api-client.rotate-secret": "Segreto del client API rinnovato",
  "api-client.revoke": "Client API revocato",
  "adhesion.requested": "Richiesta di adesione ricevuta",
  "adhesion.step": "Passo dell'adesione completato",
  "public-bodies.import": "Elenco IPA degli enti importato",
  "treasury.manual-match": "Accredito di tesoreria abbinato a mano a un flusso",
  "treasury.manual-unmatch": "Abbinamento manuale di un accredito annullato",
  "treasury.import": "Giornale di cassa importato",
};
const ENTITY: Record<string, string> = {
  DebtPosition: "Posizione",
  PaymentType: "Tipo di pagamento",
  CreditorAccount: "Conto di accredito",
  Membership: "Personale",
  StaffUser: "Personale",
  Tenant: "Ente",
  Station: "Stazione",
  TenantGoLive: "Passaggio in esercizio",
  Receipt: "Ricevuta",
  ApiClient: "Client API",
  WebhookEndpoint: "Webhook",
  AdhesionRequest: "Richiesta di adesione",
  PublicBody: "Elenco IPA",
  TreasuryImport: "Giornale di cassa",
};
const OPTION_STATUS: Record<string, string> = {
  UNPAID: "Da pagare",
  PAID: "Pagato",
  EXPIRED: "Scaduto",
  CANCELLED: "Annullato",
  REPORTED: "Rendicontato",
};

const POSITION_BADGE: Record<string, string> = {
  DRAFT: "pontepa-badge-draft",
  VALID: "pontepa-badge-due",
  PARTIALLY_PAID: "pontepa-badge-partial",
  PAID: "pontepa-badge-paid",
  EXPIRED: "pontepa-badge-expired",
  CANCELLED: "pontepa-badge-cancelled",
  REPORTED: "pontepa-badge-reported",
};

const CITIZEN_MENU = [
  { href: "/", label: "Enti" },
  { href: "/paga-avviso", label: "Paga un avviso" },
  { href: "/carrello", label: "Carrello" },
  { href: "/le-mie-posizioni", label: "Le mie posizioni" },
] as const;

/** "3010 0000 ..." with every group in a nowrap span; spaces between groups stay the only breaks. */
function navGroupsHtml(nav: string): Handlebars.SafeString {
  const groups = formatNavForPrint(nav)
    .split(" ")
    .map((g) => `<span class="pontepa-nav-group">${Handlebars.escapeExpression(g)}</span>`);
  return new Handlebars.SafeString(groups.join(" "));
}

/** Template helpers shared by the portal and the back-office (Italian formats, Europe/Rome). */
export const viewHelpers = {
  euro: (cents: unknown) => (typeof cents === "number" ? `${formatCentsIt(cents)} €` : ""),
  date: (d: unknown) => (d instanceof Date ? formatDateIt(d) : ""),
  dateTime: (d: unknown) => (d instanceof Date ? formatDateTimeIt(d) : ""),
  /** A notice code as printed, each 4-digit group unbreakable so a narrow cell never splits one. */
  nav: (nav: unknown) => (typeof nav === "string" ? navGroupsHtml(nav) : ""),
  eq: (a: unknown, b: unknown) => a === b,
  or: (...args: unknown[]) => args.slice(0, -1).some(Boolean),
  json: (value: unknown) => JSON.stringify(value),
  tenantStatusLabel: (s: unknown) => TENANT_STATUS[String(s)] ?? String(s),
  positionStatusLabel: (s: unknown) => POSITION_STATUS[String(s)] ?? String(s),
  /** A colour per position status (the badge also carries the status in words). */
  positionStatusClass: (s: unknown) => POSITION_BADGE[String(s)] ?? "pontepa-badge-draft",
  statusOptions: (selected: unknown) =>
    Object.entries(POSITION_STATUS).map(([value, label]) => ({ value, label, selected: value === selected })),
  originLabel: (s: unknown) => ORIGIN[String(s)] ?? String(s),
  auditActionLabel: (s: unknown) => (AUDIT_ACTION_LABELS as Record<string, string>)[String(s)] ?? String(s),
  entityLabel: (s: unknown) => ENTITY[String(s)] ?? String(s),
  inc: (n: unknown) => Number(n) + 1,
  /** "1 posizione trovata" / "3 posizioni trovate". */
  plural: (n: unknown, one: string, many: string) => `${Number(n)} ${Number(n) === 1 ? one : many}`,
  optionStatusLabel: (s: unknown) => OPTION_STATUS[String(s)] ?? String(s),
  /** A colour per option status, matching the position's colours. */
  optionStatusClass: (s: unknown) =>
    POSITION_BADGE[{ UNPAID: "VALID" }[String(s)] ?? String(s)] ?? "pontepa-badge-draft",
  /** The citizen portal's menu (the layout's links). */
  citizenMenu: () => CITIZEN_MENU,
  /** Builds a form-field definition inline, for fixed fields such as the debtor's. */
  fieldDef: (name: string, label: string, type: string, required: boolean) => ({ name, label, type, required }),
  /** "Paga un avviso"'s optional debtor fiscal code, with the help that says why it is asked. */
  debtorField: () => ({
    name: "debtorFiscalCode",
    label: "Codice fiscale del debitore (facoltativo)",
    type: "fiscalCode",
    required: false,
    help: "Serve per scaricare l'avviso in PDF e per sapere perché un avviso non è pagabile: l'avviso contiene i dati personali del debitore.",
  }),
};

/**
 * Server-rendered views: Handlebars with layouts and partials under web/. Views are named from
 * web/ ("citizen/views/directory"), so the portal and the back-office can never pick up each
 * other's template by accident.
 */
export function useViewEngine(app: Express): void {
  app.engine(
    "hbs",
    engine({
      extname: ".hbs",
      defaultLayout: "citizen",
      layoutsDir: path.join(webRoot, "shared/views/layouts"),
      partialsDir: [path.join(webRoot, "shared/views/partials")],
      helpers: viewHelpers,
    }),
  );
  app.set("view engine", "hbs");
  app.set("views", webRoot);
}
