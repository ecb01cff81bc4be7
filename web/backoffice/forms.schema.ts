import { z } from "zod";

/**
 * The back-office's form bodies, parsed once at the page boundary. A browser only ever sends
 * strings (or, for repeated names, arrays of strings); anything else is treated as absent, so a
 * crafted body can neither crash a page nor slip a non-string into a use case. The use cases
 * still validate meaning (IBAN, dates, ...): these schemas only give the body its shape.
 */

/** A text field: the typed string, or "" when absent or not a string. */
export const text = z.string().catch("");
/** An optional text field: undefined when absent, empty after trimming, or not a string. */
export const optionalText = z
  .string()
  .optional()
  .catch(undefined)
  .transform((s) => (s && s.trim() ? s : undefined));
/** A checkbox: true only when the browser sent it ticked ("on"). */
export const checkbox = z
  .string()
  .optional()
  .catch(undefined)
  .transform((v) => v === "on");
/** A group of checkboxes sharing one name: the ticked values, as an array even for one. */
export const checkboxGroup = z
  .union([z.string().transform((v) => [v]), z.array(z.string())])
  .optional()
  .catch(undefined)
  .transform((v) => v ?? []);

/** Accounts page: a new creditor account. */
export const accountFormSchema = z.object({
  iban: text,
  holder: text,
  description: optionalText,
  effectiveFrom: text,
  replacesIban: optionalText,
});

/** Platform admin: a new council. */
export const newTenantFormSchema = z.object({
  fiscalCode: text,
  ipaCode: text,
  name: text,
  stationCode: text,
  segregationCode: text,
  cbill: optionalText,
  postalAccount: optionalText,
  contactEmail: optionalText,
});

/** Platform admin: a council's settings. */
export const tenantFormSchema = z.object({
  name: text,
  status: text,
  segregationCode: text,
  cbill: optionalText,
  contactEmail: optionalText,
  logoUrl: optionalText,
});

/** Platform admin: planning a council's go-live. */
export const goLiveFormSchema = z.object({ liveStationCode: optionalText, effectiveOn: optionalText });

/** Platform admin: cancelling a planned go-live, or taking a live council back to test. */
export const goLiveCloseFormSchema = z.object({ reason: text });

/** Platform admin: a station's caller protections. */
export const stationFormSchema = z.object({
  description: optionalText,
  enabled: checkbox,
  clientCertFingerprint: text,
  newSubscriptionKey: optionalText,
  removeSubscriptionKey: checkbox,
  allowedSources: text.transform((s) => s.split(/[\s,]+/).filter(Boolean)),
});

/** Staff page: an invitation. */
export const inviteFormSchema = z.object({ nome: text, cognome: text, email: text, ruolo: text });
/** Staff page: a new role for a person. */
export const roleFormSchema = z.object({ ruolo: text });
/** Staff page: the payment types an operator may handle. */
export const operatorTypesFormSchema = z.object({ tipi: checkboxGroup });

/** Position page: cancellation, which needs a reason and an explicit confirmation. */
export const cancelFormSchema = z.object({
  motivo: text.pipe(
    z.string().trim().min(3, "indica il motivo (almeno 3 caratteri)").max(500, "al massimo 500 caratteri"),
  ),
  conferma: checkbox.pipe(
    z.literal(true, { message: "spunta la casella per confermare che l'avviso non sarà più pagabile" }),
  ),
});

/**
 * A form with numbered rows (the payment-type editor's fields and beneficiaries, the counter's
 * installments): every string or string-array entry, everything else dropped.
 */
export const flatFormSchema = z
  .record(z.string(), z.unknown())
  .catch({})
  .transform((body) => {
    const form: Record<string, string | string[] | undefined> = {};
    for (const [key, value] of Object.entries(body)) {
      if (typeof value === "string") form[key] = value;
      else if (Array.isArray(value) && value.every((v) => typeof v === "string")) form[key] = value as string[];
    }
    return form;
  });

/** Webhooks page: a new endpoint. */
export const webhookFormSchema = z.object({
  url: text,
  description: optionalText,
  events: checkboxGroup,
});

/** Webhook delivery log: replay one event (eventId) or the events of Rome calendar days (dal, al). */
export const webhookReplayFormSchema = z.object({
  eventId: optionalText,
  dal: optionalText,
  al: optionalText,
});

/** API clients page: a new client (return-URL prefixes one per line). */
export const apiClientFormSchema = z.object({
  name: text,
  roles: checkboxGroup,
  prefixes: optionalText.transform((s) =>
    (s ?? "")
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean),
  ),
});
