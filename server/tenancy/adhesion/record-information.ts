import { z } from "zod";
import type { Database } from "../../platform/db/database.ts";
import type { Actor } from "../../audit/index.ts";
import { FormValidationError } from "../../platform/errors.ts";
import { isValidTaxonomyCode } from "../../pagopa/index.ts";
import { PAYMENT_MODELS, type PaymentModel } from "./steps.ts";
import { completeStep, loadRequest, platformScope } from "./transition.ts";

const models = Object.keys(PAYMENT_MODELS) as [PaymentModel, ...PaymentModel[]];

export const informationSchema = z.object({
  services: z
    .array(
      z.object({
        name: z.string().trim().min(2, "indica il nome del servizio").max(140),
        taxonomyCode: z
          .string()
          .trim()
          .refine(isValidTaxonomyCode, "codice di tassonomia pagoPA non valido (es. 9/0101100IM/)"),
        model: z.enum(models, { message: "scegli il modello di pagamento" }),
      }),
    )
    .min(1, "indica almeno un servizio")
    .max(50),
  /** The day (yyyy-mm-dd) from which the council wants to collect through the platform. */
  fromDate: z.iso.date("data nel formato aaaa-mm-gg"),
});
export type Information = z.output<typeof informationSchema>;

/**
 * The council's information form: the services it will collect, each with its pagoPA taxonomy
 * code and payment model (base, flows, gateway), and from which day. It feeds the activation
 * plan. Audited.
 * @throws FormValidationError | AppError ADHESION_WRONG_STEP
 */
export async function recordInformation(db: Database, ipaCode: string, input: unknown, actor: Actor) {
  const parsed = informationSchema.safeParse(input);
  if (!parsed.success)
    throw new FormValidationError(
      Object.fromEntries(parsed.error.issues.map((i) => [i.path.join(".") || "form", i.message])),
    );
  return platformScope(db, "record the information form", async (tx) =>
    completeStep(tx, await loadRequest(tx, ipaCode), "INFORMATION", { information: parsed.data }, actor, {
      services: parsed.data.services.length,
      fromDate: parsed.data.fromDate,
    }),
  );
}
