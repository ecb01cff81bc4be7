import type { ClassificationCode } from "../../server/reconciliation/index.ts";

/** Italian names of MyPivot's outcome codes (a Record: a new code does not compile without one). */
export const CLASSIFICATION_LABELS: Record<ClassificationCode, string> = {
  IUD_RT_IUF_TES: "Riconciliato: dovuto, ricevuta, flusso e tesoreria",
  RT_IUF_TES: "Riconciliato senza dovuto dell'ente",
  IUD_RT_IUF: "Rendicontato, in attesa dell'accredito in tesoreria",
  RT_IUF: "Rendicontato senza dovuto, in attesa della tesoreria",
  IUF_TES_DIV_IMP: "Accredito in tesoreria di importo diverso dal flusso",
  RT_NO_IUF: "Ricevuta non ancora rendicontata",
  RT_NO_IUD: "Ricevuta senza dovuto dell'ente e senza flusso",
  IUV_NO_RT: "Rendicontato senza ricevuta",
  IUD_NO_RT: "Pagato senza ricevuta",
  IUF_NO_TES: "Flusso senza accredito in tesoreria",
  TES_NO_IUF_OR_IUV: "Accredito di un flusso non ricevuto",
  TES_NO_MATCH: "Accredito senza riferimento pagoPA",
};

/** Labels of the manual-match form's fields, for the error summary. */
export const MANUAL_MATCH_LABELS = {
  flowId: { label: "Flusso", id: "flowId" },
  reason: { label: "Motivo", id: "reason" },
  form: "form",
};

export const SUBJECT_KIND_LABELS: Record<string, string> = {
  PAYMENT: "Pagamento",
  FLOW: "Flusso",
  CREDIT: "Accredito",
};
