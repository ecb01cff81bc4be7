import type { Database } from "../../platform/db/database.ts";
import type { Actor } from "../../audit/index.ts";
import { AppError } from "../../platform/errors.ts";
import { addCreditorAccount, type CreditorAccountInput } from "../add-creditor-account.ts";
import { completeStep, expectStep, loadRequest, platformScope } from "./transition.ts";

/**
 * The council's first creditor account, through addCreditorAccount (IBAN checksum, the 7-day
 * notice, audit in the council); the request then moves on to the activation plan. Further
 * accounts are added from the council's own accounts page.
 * @throws FormValidationError | AppError ADHESION_WRONG_STEP
 */
export async function addAdhesionAccount(
  db: Database,
  ipaCode: string,
  input: CreditorAccountInput,
  actor: Actor,
  now = new Date(),
) {
  const r = await platformScope(db, "read the request", (tx) => loadRequest(tx, ipaCode));
  expectStep(r, "ACCOUNTS");
  if (!r.tenantId) throw new AppError("ADHESION_WRONG_STEP", "L'ente non è ancora stato creato", 409);
  const account = await addCreditorAccount(db, r.tenantId, input, actor, now);
  await platformScope(db, "accounts step done", async (tx) =>
    completeStep(tx, await loadRequest(tx, ipaCode), "ACCOUNTS", {}, actor, { iban: account.iban }),
  );
  return account;
}
