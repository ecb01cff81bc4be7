import { AppError, type ErrorCode } from "../../platform/errors.ts";

/** The EC-side fault codes of the paForNode contract that this station answers with. */
export const FAULT_STRINGS = {
  PAA_SINTASSI_XSD: "Errore di sintassi XSD",
  PAA_SINTASSI_EXTRAXSD: "Errore di sintassi extra XSD",
  PAA_SEMANTICA: "Errore semantico",
  PAA_ID_DOMINIO_ERRATO: "La PAA non corrisponde al Dominio indicato",
  PAA_ID_INTERMEDIARIO_ERRATO: "Identificativo intermediario non corrispondente",
  PAA_STAZIONE_INT_ERRATA: "Stazione intermediario non corrispondente",
  PAA_PAGAMENTO_SCONOSCIUTO: "Pagamento in attesa risulta sconosciuto all'Ente Creditore",
  PAA_PAGAMENTO_DUPLICATO: "Pagamento in attesa risulta concluso all'Ente Creditore",
  PAA_PAGAMENTO_IN_CORSO: "Pagamento in attesa risulta in corso all'Ente Creditore",
  PAA_PAGAMENTO_SCADUTO: "Pagamento in attesa risulta scaduto all'Ente Creditore",
  PAA_PAGAMENTO_ANNULLATO: "Pagamento in attesa risulta annullato all'Ente Creditore",
  PAA_RECEIPT_DUPLICATA: "Ricevuta già acquisita dall'Ente Creditore",
  PAA_SYSTEM_ERROR: "Errore generico",
} as const;

export type FaultCode = keyof typeof FAULT_STRINGS;

/** A business fault decided by the station itself (routing, validation). */
export class StationFault extends Error {
  constructor(
    readonly faultCode: FaultCode,
    readonly description: string,
  ) {
    super(`${faultCode}: ${description}`);
    this.name = "StationFault";
  }
}

// Domain error codes (AppError.code from positions/) and the fault each one is reported with.
const BY_APP_ERROR: Partial<Record<ErrorCode, FaultCode>> = {
  NOTICE_UNKNOWN: "PAA_PAGAMENTO_SCONOSCIUTO",
  NOTICE_PAID: "PAA_PAGAMENTO_DUPLICATO",
  NOTICE_EXPIRED: "PAA_PAGAMENTO_SCADUTO",
  NOTICE_CANCELLED: "PAA_PAGAMENTO_ANNULLATO",
  NOTICE_IN_PROGRESS: "PAA_PAGAMENTO_IN_CORSO",
  RECEIPT_DUPLICATE: "PAA_RECEIPT_DUPLICATA",
  DEMAND_NOT_AVAILABLE: "PAA_SEMANTICA",
  NOTICE_NEEDS_STAMP_SUPPORT: "PAA_SEMANTICA",
};

// Texts safe to show the Nodo for the expected domain outcomes (internal messages are not).
const DESCRIPTIONS: Partial<Record<FaultCode, string>> = {
  PAA_PAGAMENTO_SCONOSCIUTO: "Avviso sconosciuto o non ancora pagabile",
  PAA_PAGAMENTO_DUPLICATO: "Avviso già pagato",
  PAA_PAGAMENTO_SCADUTO: "Avviso scaduto",
  PAA_PAGAMENTO_ANNULLATO: "Avviso annullato",
  PAA_PAGAMENTO_IN_CORSO: "Pagamento dell'avviso in corso",
  PAA_RECEIPT_DUPLICATA: "Ricevuta già acquisita",
};

export interface FaultBody {
  faultCode: FaultCode;
  faultString: string;
  description: string;
}

/**
 * Maps anything thrown while answering to the fault the Nodo receives. Unknown errors become
 * PAA_SYSTEM_ERROR with a generic text: internal messages never leave the platform.
 */
export function faultFromError(err: unknown): FaultBody {
  if (err instanceof StationFault) {
    return { faultCode: err.faultCode, faultString: FAULT_STRINGS[err.faultCode], description: err.description };
  }
  if (err instanceof AppError) {
    const code = BY_APP_ERROR[err.code];
    if (code) {
      const description = code === "PAA_SEMANTICA" ? err.message : (DESCRIPTIONS[code] ?? FAULT_STRINGS[code]);
      return { faultCode: code, faultString: FAULT_STRINGS[code], description };
    }
  }
  return {
    faultCode: "PAA_SYSTEM_ERROR",
    faultString: FAULT_STRINGS.PAA_SYSTEM_ERROR,
    description: "Errore interno dell'Ente Creditore, riprovare",
  };
}
