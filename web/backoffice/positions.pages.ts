import { Router, type Request, type Response } from "express";
import {
  cancelPosition,
  countPositionsByStatus,
  createCounterPosition,
  getPositionDetail,
  positionSearchSchema,
  searchPositions,
} from "../../server/positions/index.ts";
import { listPaymentTypes } from "../../server/catalog/index.ts";
import { AppError, FormValidationError } from "../../server/platform/errors.ts";
import { renderPositionNotice } from "../../server/notices/index.ts";
import { journalOfNotices } from "../../server/nodo/journal/index.ts";
import { renderReceiptPdfByReceiptId } from "../../server/receipts/index.ts";
import { can } from "../../server/identity/staff/index.ts";
import { activationPlan } from "../../server/tenancy/index.ts";
import { sendPdf } from "../../server/platform/http/send-pdf.ts";
import { payLinkFor } from "../../server/checkout/index.ts";
import { staffActor, type BackofficeContext } from "./backoffice.context.ts";
import { allow } from "./guards.ts";
import { renderPage } from "./nav.ts";
import { allowedTypeCodes, counterPaymentTypes, tariffRolesOf, usableTariffs } from "./operator-scope.ts";
import { cancelFormSchema, flatFormSchema } from "./forms.schema.ts";
import { counterInputFromForm, MAX_INSTALLMENT_ROWS } from "./counter-position-form.ts";
import { CANCEL_LABELS, COUNTER_LABELS, POSITION_SEARCH_LABELS } from "./form-labels.ts";
import { fieldErrorsOf, showErrors, type ShownErrors } from "../shared/form-errors.ts";

const base = (res: Response) => `/backoffice/enti/${res.locals.tenant!.ipaCode}`;

/** Operators' pages of one council: summary, search, detail, counter creation, cancel, PDFs. */
export function positionPages(ctx: BackofficeContext): Router {
  const router = Router({ mergeParams: true });
  const { db } = ctx.deps;
  const pdfDeps = { db, pdf: ctx.deps.pdf };

  router.get("/", allow("tenant.read"), async (_req, res) => {
    const tenant = res.locals.tenant!;
    const counts = await countPositionsByStatus(db, tenant.id);
    const recent = await searchPositions(db, tenant.id, {});
    const plan = await activationPlan(db, tenant.id);
    renderPage(res, "tenant-home", base(res), {
      title: "Riepilogo",
      plan: { ...plan, total: plan.steps.length, complete: plan.done === plan.steps.length },
      counts,
      recent: recent.rows.slice(0, 5),
      collaudoHref: tenant.status === "TEST" ? `${base(res)}/collaudo` : undefined,
      canWrite: can(res.locals.staff!.principal, "positions.write", tenant.ipaCode),
    });
  });

  router.get("/posizioni", allow("tenant.read"), async (req, res) => {
    const tenant = res.locals.tenant!;
    const query = positionSearchSchema.safeParse(req.query);
    const types = (await listPaymentTypes(db, tenant.id)).map((t) => ({ code: t.code, name: t.name }));
    const result = query.success ? await searchPositions(db, tenant.id, query.data) : null;
    const params = new URLSearchParams(
      Object.entries(req.query).filter(([k, v]) => k !== "page" && typeof v === "string" && v !== "") as [
        string,
        string,
      ][],
    );
    renderPage(res, "positions", `${base(res)}/posizioni`, {
      title: "Posizioni debitorie",
      q: req.query,
      types,
      ...(query.success
        ? { errors: {}, errorList: [] }
        : showErrors(fieldErrorsOf(query.error), POSITION_SEARCH_LABELS)),
      result,
      prev: result && result.page > 1 ? `?${params}&page=${result.page - 1}` : null,
      next: result && result.page < result.pages ? `?${params}&page=${result.page + 1}` : null,
    });
  });

  router.get("/posizioni/nuova", allow("positions.write"), async (_req, res) => {
    await showNewForm(ctx, res, {});
  });

  router.post("/posizioni", allow("positions.write"), async (req, res) => {
    const tenant = res.locals.tenant!;
    const posted = flatFormSchema.parse(req.body);
    const roles = tariffRolesOf(res.locals.staff!.principal, tenant.ipaCode);
    const body = await withChosenTariff(ctx, res, posted, roles);
    try {
      const input = counterInputFromForm(body);
      const allowed = await allowedTypeCodes(db, tenant, res.locals.staff!.principal);
      const created = await createCounterPosition(
        db,
        tenant,
        input,
        staffActor(res.locals.staff!),
        allowed,
        req.id as string | undefined,
        roles,
      );
      res.redirect(303, `${base(res)}/posizioni/${created.id}?creata=1`);
    } catch (err) {
      if (!(err instanceof FormValidationError)) throw err;
      res.status(422);
      await showNewForm(ctx, res, body, showErrors(err.fieldErrors, COUNTER_LABELS));
    }
  });

  /** The position's page; a refused cancellation comes back to it with the reason typed and what to fix. */
  const showDetail = async (
    req: Request<{ positionId: string }>,
    res: Response,
    cancel: { motivo?: string; shown?: ShownErrors; alert?: string } = {},
  ) => {
    const tenant = res.locals.tenant!;
    const detail = await getPositionDetail(db, journalOfNotices, tenant.id, req.params.positionId);
    // A signed "pay this notice" link for each notice still open, to e-mail or print (30 days).
    const open = ["VALID", "PARTIALLY_PAID"].includes(detail.position.status);
    const payLinks = Object.fromEntries(
      detail.position.options
        .filter((o) => open && o.status === "UNPAID")
        .map((o) => [o.nav, payLinkFor(ctx.deps.config, tenant.ipaCode, o.nav)]),
    );
    renderPage(res, "position-detail", `${base(res)}/posizioni`, {
      title: `Posizione ${detail.position.iupd}`,
      ...detail,
      payLinks,
      flash: req.query.creata
        ? "Posizione creata: l'avviso è pronto da stampare."
        : req.query.annullata
          ? "Posizione annullata."
          : undefined,
      canWrite: can(res.locals.staff!.principal, "positions.write", tenant.ipaCode),
      motivo: cancel.motivo,
      alert: cancel.alert,
      ...(cancel.shown ?? { errors: {}, errorList: [] }),
    });
  };
  router.get("/posizioni/:positionId", allow("tenant.read"), (req: Request<{ positionId: string }>, res) =>
    showDetail(req, res),
  );

  router.post(
    "/posizioni/:positionId/annulla",
    allow("positions.write"),
    async (req: Request<{ positionId: string }>, res) => {
      const tenant = res.locals.tenant!;
      // Another council's id is a 404 before anything about the form is said.
      await getPositionDetail(db, journalOfNotices, tenant.id, req.params.positionId);
      const form = cancelFormSchema.safeParse(req.body);
      const motivo = typeof req.body?.motivo === "string" ? (req.body.motivo as string) : "";
      if (!form.success) {
        res.status(422);
        return showDetail(req, res, { motivo, shown: showErrors(fieldErrorsOf(form.error), CANCEL_LABELS) });
      }
      try {
        await cancelPosition(
          db,
          tenant.id,
          req.params.positionId,
          form.data.motivo,
          staffActor(res.locals.staff!),
          req.id as string | undefined,
        );
      } catch (err) {
        if (!(err instanceof AppError) || err.status !== 409) throw err;
        res.status(409);
        return showDetail(req, res, { motivo, alert: err.message });
      }
      res.redirect(303, `${base(res)}/posizioni/${req.params.positionId}?annullata=1`);
    },
  );

  router.get(
    "/posizioni/:positionId/avviso.pdf",
    allow("tenant.read"),
    async (req: Request<{ positionId: string }>, res) => {
      sendPdf(res, await renderPositionNotice(pdfDeps, res.locals.tenant!.id, req.params.positionId));
    },
  );

  router.get(
    "/ricevute/:receiptId/ricevuta.pdf",
    allow("tenant.read"),
    async (req: Request<{ receiptId: string }>, res) => {
      sendPdf(res, await renderReceiptPdfByReceiptId(pdfDeps, res.locals.tenant!.id, req.params.receiptId));
    },
  );
  return router;
}

async function showNewForm(
  ctx: BackofficeContext,
  res: Response,
  values: Record<string, unknown>,
  shown: ShownErrors = { errors: {}, errorList: [] },
) {
  const tenant = res.locals.tenant!;
  const types = await counterPaymentTypes(ctx.deps.db, tenant, res.locals.staff!.principal);
  const rows = Array.from({ length: MAX_INSTALLMENT_ROWS }, (_, i) => ({
    n: i + 1,
    amount: (values as Record<string, string>)[`rata${i + 1}_importo`] ?? "",
    due: (values as Record<string, string>)[`rata${i + 1}_scadenza`] ?? "",
    amountError: shown.errors[`rata${i + 1}_importo`],
    dueError: shown.errors[`rata${i + 1}_scadenza`],
  }));
  const roles = tariffRolesOf(res.locals.staff!.principal, tenant.ipaCode);
  const tariffGroups = types
    .map((t) => ({
      name: t.name,
      tariffs: usableTariffs(t.tariffs, roles).map((x) => ({
        value: `${t.code}:${x.code}`,
        label: `${x.label} - ${(x.amountCents / 100).toFixed(2).replace(".", ",")} €`,
        selected: values.tariffa === `${t.code}:${x.code}`,
      })),
    }))
    .filter((g) => g.tariffs.length > 0);
  renderPage(res, "position-new", `${base(res)}/posizioni/nuova`, {
    title: "Nuova posizione allo sportello",
    tariffGroups,
    types: types.map((t) => ({ ...t, selected: t.code === values.paymentTypeCode })),
    v: values,
    rows,
    ...shown,
  });
}

/**
 * A tariff picked at the counter ("TYPE:TARIFF") decides the type and the single amount; the
 * typed amount is ignored for it. An unknown or not-allowed pick is left for the use case to
 * refuse by amount (it rechecks every tariff against the roles).
 */
async function withChosenTariff(
  ctx: BackofficeContext,
  res: Response,
  form: Record<string, string | string[] | undefined>,
  roles: string[] | null,
): Promise<Record<string, string | string[] | undefined>> {
  const chosen = typeof form.tariffa === "string" ? form.tariffa : "";
  const [typeCode, tariffCode] = chosen.split(":");
  if (!typeCode || !tariffCode) return form;
  const types = await counterPaymentTypes(ctx.deps.db, res.locals.tenant!, res.locals.staff!.principal);
  const type = types.find((t) => t.code === typeCode);
  const tariff = type ? usableTariffs(type.tariffs, roles).find((t) => t.code === tariffCode) : undefined;
  if (!tariff) return { ...form, paymentTypeCode: typeCode };
  return {
    ...form,
    paymentTypeCode: typeCode,
    unica_importo: (tariff.amountCents / 100).toFixed(2).replace(".", ","),
  };
}
