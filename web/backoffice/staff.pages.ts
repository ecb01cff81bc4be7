import { Router, type Request, type Response } from "express";
import { changeStaffRole, inviteStaff, listCouncilStaff, restrictOperator } from "../../server/tenancy/index.ts";
import { listPaymentTypes } from "../../server/catalog/index.ts";
import { AppError, FormValidationError } from "../../server/platform/errors.ts";
import { can, ROLE_LABELS, TENANT_ROLES } from "../../server/identity/staff/index.ts";
import { staffActor, type BackofficeContext } from "./backoffice.context.ts";
import { allow } from "./guards.ts";
import { renderPage } from "./nav.ts";
import { inviteFormSchema, operatorTypesFormSchema, roleFormSchema } from "./forms.schema.ts";
import { INVITE_LABELS } from "./form-labels.ts";
import { showErrors, type ShownErrors } from "../shared/form-errors.ts";

const OUTCOMES: Record<string, string> = {
  invito: "Invito inviato: la persona riceverà un'e-mail con il collegamento per scegliere la password.",
  accesso: "Accesso concesso: la persona entra con le credenziali che ha già.",
  "invito-senza-avviso":
    "Invito inviato: la persona riceverà un'e-mail con il collegamento per scegliere la password, ma non l'e-mail che le dice ente e ruolo: avvisala tu.",
  "accesso-senza-avviso":
    "Accesso concesso: la persona entra con le credenziali che ha già, ma l'e-mail che la avvisa non è partita: avvisala tu.",
  ruolo: "Ruolo cambiato: vale subito, anche nelle sessioni già aperte della persona.",
  rimosso: "Accesso rimosso: le sessioni aperte della persona sono state chiuse.",
  abilitazioni: "Abilitazioni aggiornate.",
};

interface PageState {
  values?: Record<string, string>;
  shown?: ShownErrors;
  alert?: string;
}

/**
 * The council's staff, as the realm's groups say (`/tenants/<ipa>/{admins,operators,viewers}`),
 * with the last login and an operator's payment-type restriction from our tables. Admins invite
 * people, change their role and remove their access here, through the realm's Admin REST API;
 * changes apply from the person's next login.
 */
export function staffPages(ctx: BackofficeContext): Router {
  const router = Router({ mergeParams: true });
  const { db } = ctx.deps;
  const staffDeps = {
    db,
    realm: ctx.realm,
    sessions: ctx.sessions,
    mailer: ctx.deps.mailer,
    backofficeUrl: ctx.invitationReturn.redirectUri,
  };
  const base = (res: Response) => `/backoffice/enti/${res.locals.tenant!.ipaCode}/personale`;

  const show = async (req: Request, res: Response, state: PageState = {}) => {
    const tenant = res.locals.tenant!;
    const principal = res.locals.staff!.principal;
    const [staff, types] = await Promise.all([
      listCouncilStaff(staffDeps, tenant),
      listPaymentTypes(db, tenant.id, { availableAtCounter: true }),
    ]);
    const canConfigure = can(principal, "tenant.configure", tenant.ipaCode);
    const roleOptions = (selected: string | undefined) =>
      TENANT_ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r], selected: r === selected }));
    renderPage(res, "staff", base(res), {
      title: "Personale dell'ente",
      members: staff.members.map((m) => ({
        ...m,
        roleLabel: m.roles.map((r) => ROLE_LABELS[r]).join(", "),
        roleOptions: roleOptions(m.roles[0]),
        isSelf: m.userId === principal.subject,
        isOperator: m.roles.includes("operator"),
        types: types.map((t) => ({ code: t.code, name: t.name, checked: m.paymentTypeCodes.includes(t.code) })),
      })),
      fromRealm: staff.fromRealm,
      realmProblem: staff.problem,
      canConfigure,
      // Changing roles needs the realm: without it the page only shows what we last saw.
      canManage: canConfigure && staff.fromRealm,
      inviteRoles: roleOptions(state.values?.ruolo ?? "operator"),
      v: state.values ?? {},
      ...(state.shown ?? { errors: {}, errorList: [] }),
      alert: state.alert,
      flash:
        typeof req.query.esito === "string"
          ? OUTCOMES[req.query.esito]
          : req.query.salvato
            ? OUTCOMES.abilitazioni
            : undefined,
    });
  };

  /** Errors a form can be corrected or retried from are shown on the page; "not found" stays a 404 page. */
  const showFailure = async (req: Request, res: Response, err: unknown, values?: Record<string, string>) => {
    if (err instanceof FormValidationError) {
      res.status(422);
      return show(req, res, { values, shown: showErrors(err.fieldErrors, INVITE_LABELS) });
    }
    if (!(err instanceof AppError) || err.status === 404 || err.status === 403) throw err;
    if (err.status >= 500) req.log?.warn({ err, cause: err.details?.cause }, "staff change through the realm failed");
    res.status(err.status);
    return show(req, res, { values, alert: err.message });
  };

  router.get("/personale", allow("tenant.read"), async (req, res) => show(req, res));

  router.post("/personale/invita", allow("tenant.configure"), async (req, res) => {
    const values = inviteFormSchema.parse(req.body);
    try {
      // Only the form's four fields reach the use case: the council is the route's, never the body's.
      const outcome = await inviteStaff(
        staffDeps,
        res.locals.tenant!,
        values,
        staffActor(res.locals.staff!),
        ctx.invitationReturn,
      );
      const esito = `${outcome.emailSent ? "invito" : "accesso"}${outcome.noticeSent ? "" : "-senza-avviso"}`;
      res.redirect(303, `${base(res)}?esito=${esito}`);
    } catch (err) {
      await showFailure(req, res, err, values);
    }
  });

  const change = (remove: boolean) => async (req: Request<{ userId: string }>, res: Response) => {
    const { ruolo } = roleFormSchema.parse(req.body);
    try {
      const by = { actor: staffActor(res.locals.staff!), subject: res.locals.staff!.principal.subject };
      await changeStaffRole(staffDeps, res.locals.tenant!, req.params.userId, remove ? null : ruolo, by);
      res.redirect(303, `${base(res)}?esito=${remove ? "rimosso" : "ruolo"}`);
    } catch (err) {
      await showFailure(req, res, err);
    }
  };
  router.post("/personale/:userId/ruolo", allow("tenant.configure"), change(false));
  router.post("/personale/:userId/rimuovi", allow("tenant.configure"), change(true));

  router.post(
    "/personale/:membershipId/tipi",
    allow("tenant.configure"),
    async (req: Request<{ membershipId: string }>, res) => {
      const { tipi: codes } = operatorTypesFormSchema.parse(req.body);
      await restrictOperator(db, res.locals.tenant!.id, req.params.membershipId, codes, staffActor(res.locals.staff!));
      res.redirect(303, `${base(res)}?esito=abilitazioni`);
    },
  );
  return router;
}
