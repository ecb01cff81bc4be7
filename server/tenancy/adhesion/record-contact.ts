import type { Database } from "../../platform/db/database.ts";
import type { Actor } from "../../audit/index.ts";
import { FormValidationError } from "../../platform/errors.ts";
import { contactSchema } from "./request-adhesion.ts";
import { completeStep, loadRequest, platformScope } from "./transition.ts";

/**
 * The council names its contact person (referente), who becomes the council's admin when the
 * tenant is created. Audited (the contact's fiscal code is never logged).
 * @throws FormValidationError | AppError ADHESION_WRONG_STEP
 */
export async function recordContact(db: Database, ipaCode: string, input: Record<string, unknown>, actor: Actor) {
  const parsed = contactSchema.safeParse(input);
  if (!parsed.success)
    throw new FormValidationError(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])));
  return platformScope(db, "record the contact person", async (tx) =>
    completeStep(tx, await loadRequest(tx, ipaCode), "CONTACT", parsed.data, actor, {
      contactEmail: parsed.data.contactEmail,
    }),
  );
}
