import type { Database } from "../../platform/db/database.ts";
import type { Actor } from "../../audit/index.ts";
import { AppError } from "../../platform/errors.ts";
import { addCreditorAccount, type CreditorAccountInput } from "../add-creditor-account.ts";
import { completeStep, expectStep, loadRequest, platformScope } from "./transition.ts";

/**
 * The council's first creditor account, through addCreditorAccount (IBAN checksum, audit in the
 * council); the request then moves on to the activation plan. It may start today: the council is
 * in TEST, so the 7-day notice (which gives pagoPA time before an IBAN change reaches live
 * payments) has nothing to protect yet, and the collaudo needs an account in force to run;
 * go-live checks the account again on its day. Further accounts are added from the council's
 * own accounts page, with the notice.
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
  const account = await addCreditorAccount(db, r.tenantId, input, actor, now, 0);
  await platformScope(db, "accounts step done", async (tx) =>
    completeStep(tx, await loadRequest(tx, ipaCode), "ACCOUNTS", {}, actor, { iban: account.iban }),
  );
  return account;
}
