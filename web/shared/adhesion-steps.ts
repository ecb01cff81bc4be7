import { z } from "zod";
import type { Database } from "../../server/platform/db/database.ts";
import type { Actor } from "../../server/audit/index.ts";
import { AppError, FormValidationError } from "../../server/platform/errors.ts";
import {
  addAdhesionAccount,
  PAYMENT_MODELS,
  recordContact,
  recordInformation,
  uploadSignedLetter,
  MAX_LETTER_BYTES,
} from "../../server/tenancy/index.ts";
import type { BufferedUpload } from "./buffered-upload.ts";
import { formMessage, showErrors, type FieldLabels, type ShownErrors } from "./form-errors.ts";

/**
 * The council's steps of an adhesion as forms, shared by the council's link page (the council
 * does them) and the helpdesk's request page (the helpdesk does them on the council's behalf,
 * e.g. on the phone): same fields, same zod checks, same Italian errors next to each field.
 */
export const COUNCIL_STEP_ACTIONS = ["referente", "lettera", "scheda", "conti"] as const;
export type CouncilStepAction = (typeof COUNCIL_STEP_ACTIONS)[number];

/** Rows of services the information form offers (blank rows are ignored). */
export const SERVICE_ROWS = 5;

const text = z.preprocess((v) => (typeof v === "string" ? v : ""), z.string().max(300));

const contactForm = z.object({ contactName: text, contactFiscalCode: text, contactEmail: text });
const accountForm = z.object({ iban: text, holder: text, effectiveFrom: text });
const informationForm = z
  .object({ fromDate: text })
  .catchall(text)
  .transform((b) => ({
    fromDate: b.fromDate,
    services: Array.from({ length: SERVICE_ROWS }, (_, i) => ({
      name: b[`servizio${i}_nome`] ?? "",
      taxonomyCode: b[`servizio${i}_tassonomia`] ?? "",
      model: b[`servizio${i}_modello`] ?? "",
    })).filter((s) => s.name.trim() || s.taxonomyCode.trim() || s.model),
  }));

export const ADHESION_STEP_LABELS: FieldLabels = {
  contactName: "Nome e cognome del referente",
  contactFiscalCode: "Codice fiscale del referente",
  contactEmail: "E-mail del referente",
  letter: "Lettera firmata",
  fromDate: { label: "Attivo dal", id: "fromDate" },
  services: { label: "Servizi", id: "servizio0_nome", section: true },
  "services.*.name": { label: "Servizio {n}: nome", id: "servizio{i}_nome" },
  "services.*.taxonomyCode": { label: "Servizio {n}: codice di tassonomia", id: "servizio{i}_tassonomia" },
  "services.*.model": { label: "Servizio {n}: modello di pagamento", id: "servizio{i}_modello" },
  iban: "IBAN",
  holder: "Intestatario del conto",
  effectiveFrom: "Decorrenza",
};

/** What the step forms show: the fields typed back, the payment model choices, the service rows. */
export function stepFormView(values: Record<string, string> = {}, errors: Record<string, string> = {}) {
  return {
    v: values,
    errors,
    serviceRows: Array.from({ length: SERVICE_ROWS }, (_, i) => ({
      i,
      n: i + 1,
      name: values[`servizio${i}_nome`] ?? "",
      taxonomyCode: values[`servizio${i}_tassonomia`] ?? "",
      nameError: errors[`servizio${i}_nome`],
      taxonomyError: errors[`servizio${i}_tassonomia`],
      modelError: errors[`servizio${i}_modello`],
      models: Object.entries(PAYMENT_MODELS).map(([value, label]) => ({
        value,
        label,
        selected: values[`servizio${i}_modello`] === value,
      })),
    })),
  };
}

/** The typed values to show again after a refusal (never the uploaded file). */
export function typedValues(body: unknown): Record<string, string> {
  const parsed = z.record(z.string(), z.unknown()).safeParse(body);
  if (!parsed.success) return {};
  return Object.fromEntries(
    Object.entries(parsed.data).flatMap(([k, v]) => (typeof v === "string" && k !== "_csrf" ? [[k, v]] : [])),
  );
}

/**
 * Does one of the council's steps for the request `ipaCode`. Returns null when done, or the
 * errors to show next to the fields (a request no longer at that step is a form-level message).
 */
export async function doCouncilStep(
  db: Database,
  ipaCode: string,
  action: CouncilStepAction,
  input: { body: unknown; upload: BufferedUpload | null },
  actor: Actor,
): Promise<ShownErrors | null> {
  try {
    if (action === "referente") await recordContact(db, ipaCode, contactForm.parse(input.body), actor);
    if (action === "scheda") await recordInformation(db, ipaCode, informationForm.parse(input.body), actor);
    if (action === "conti") await addAdhesionAccount(db, ipaCode, accountForm.parse(input.body), actor);
    if (action === "lettera") {
      const up = input.upload;
      if (!up) throw new FormValidationError({ letter: "scegli il file della lettera firmata" });
      if (up.truncated)
        throw new FormValidationError({ letter: `il file supera i ${MAX_LETTER_BYTES / 1024 / 1024} MB` });
      await uploadSignedLetter(db, ipaCode, up, actor);
    }
    return null;
  } catch (err) {
    if (err instanceof FormValidationError) return showErrors(err.fieldErrors, ADHESION_STEP_LABELS);
    if (err instanceof AppError && err.code.startsWith("ADHESION_")) return formMessage(err.message);
    throw err;
  }
}
