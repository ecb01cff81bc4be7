import { Router, type Response } from "express";
import { addCreditorAccount, ACCOUNT_NOTICE_DAYS, listCreditorAccounts } from "../../server/tenancy/index.ts";
import { FormValidationError } from "../../server/platform/errors.ts";
import { can } from "../../server/identity/staff/index.ts";
import { staffActor, type BackofficeContext } from "./backoffice.context.ts";
import { allow } from "./guards.ts";
import { renderPage } from "./nav.ts";
import { accountFormSchema } from "./forms.schema.ts";
import { ACCOUNT_LABELS } from "./form-labels.ts";
import { showErrors, type ShownErrors } from "../shared/form-errors.ts";

/** Creditor accounts of a council: the history, and a new account effective at least 7 days ahead. */
export function accountPages(ctx: BackofficeContext): Router {
  const router = Router({ mergeParams: true });
  const show = async (
    res: Response,
    values: Record<string, unknown> = {},
    shown: ShownErrors = { errors: {}, errorList: [] },
    flash?: string,
  ) => {
    const tenant = res.locals.tenant!;
    const accounts = await listCreditorAccounts(ctx.deps.db, tenant.id);
    const today = new Date();
    renderPage(res, "accounts", `/backoffice/enti/${tenant.ipaCode}/conti`, {
      title: "Conti di accredito",
      accounts: accounts.map((a) => ({
        ...a,
        inForce: a.effectiveFrom <= today && (!a.effectiveTo || a.effectiveTo >= today),
        future: a.effectiveFrom > today,
      })),
      canConfigure: can(res.locals.staff!.principal, "tenant.configure", tenant.ipaCode),
      noticeDays: ACCOUNT_NOTICE_DAYS,
      v: values,
      ...shown,
      flash,
    });
  };
  router.get("/conti", allow("tenant.read"), async (_req, res) => show(res));
  router.post("/conti", allow("tenant.configure"), async (req, res) => {
    const b = accountFormSchema.parse(req.body);
    try {
      await addCreditorAccount(ctx.deps.db, res.locals.tenant!.id, b, staffActor(res.locals.staff!));
      await show(res, {}, undefined, "Conto aggiunto: sarà usato dalla data di decorrenza.");
    } catch (err) {
      if (!(err instanceof FormValidationError)) throw err;
      res.status(422);
      await show(res, b, showErrors(err.fieldErrors, ACCOUNT_LABELS));
    }
  });
  return router;
}
