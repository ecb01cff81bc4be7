import { Router, type Request, type Response } from "express";
import { z } from "zod";
import { cancelPosition, createCounterPosition, getPositionDetail, positionSearchSchema, searchPositions } from "../../server/positions/index.ts";
import { FormValidationError } from "../../server/platform/errors.ts";
import { renderPositionNotice } from "../../server/notices/index.ts";
import { journalOfNotices } from "../../server/nodo/journal/index.ts";
import { renderReceiptPdfByReceiptId } from "../../server/receipts/index.ts";
import { endOfRomeDay, parseEuroToCents } from "../../server/pagopa/index.ts";
import { can } from "../../server/identity/staff/index.ts";
import { activationPlan } from "../../server/tenancy/index.ts";
import { sendPdf } from "../shared/send-pdf.ts";
import { staffActor, type BackofficeContext } from "./backoffice.context.ts";
import { allow } from "./guards.ts";
import { renderPage } from "./nav.ts";
import { allowedTypeCodes, counterPaymentTypes } from "./operator-scope.ts";

const MAX_INSTALLMENT_ROWS = 6;
const base = (res: Response) => `/backoffice/enti/${res.locals.tenant!.ipaCode}`;

/** Operators' pages of one council: summary, search, detail, counter creation, cancel, PDFs. */
export function positionPages(ctx: BackofficeContext): Router {
  const router = Router({ mergeParams: true });
  const { db } = ctx.deps;
  const pdfDeps = { db, pdf: ctx.deps.pdf };

  router.get("/", allow("tenant.read"), async (_req, res) => {
    const tenant = res.locals.tenant!;
    const counts = await db.withTenant(tenant.id, (tx) => tx.debtPosition.groupBy({ by: ["status"], where: { tenantId: tenant.id }, _count: { _all: true } }));
    const recent = await searchPositions(db, tenant.id, {});
    const plan = await activationPlan(db, tenant.id);
    renderPage(res, "tenant-home", base(res), {
      title: "Riepilogo",
      plan: { ...plan, total: plan.steps.length, complete: plan.done === plan.steps.length },
      counts: counts.map((c) => ({ status: c.status, count: c._count._all })),
      recent: recent.rows.slice(0, 5),
      canWrite: can(res.locals.staff!.principal, "positions.write", tenant.ipaCode),
    });
  });

  router.get("/posizioni", allow("tenant.read"), async (req, res) => {
    const tenant = res.locals.tenant!;
    const query = positionSearchSchema.safeParse(req.query);
    const types = await db.withTenant(tenant.id, (tx) => tx.paymentType.findMany({ where: { tenantId: tenant.id }, select: { code: true, name: true }, orderBy: { name: "asc" } }));
    const result = query.success ? await searchPositions(db, tenant.id, query.data) : null;
    const params = new URLSearchParams(Object.entries(req.query).filter(([k, v]) => k !== "page" && typeof v === "string" && v !== "") as [string, string][]);
    renderPage(res, "positions", `${base(res)}/posizioni`, {
      title: "Posizioni debitorie",
      q: req.query,
      types,
      errors: query.success ? null : query.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`),
      result,
      prev: result && result.page > 1 ? `?${params}&page=${result.page - 1}` : null,
      next: result && result.page < result.pages ? `?${params}&page=${result.page + 1}` : null,
    });
  });

  router.get("/posizioni/nuova", allow("positions.write"), async (_req, res) => {
    await showNewForm(ctx, res, {}, {});
  });

  router.post("/posizioni", allow("positions.write"), async (req, res) => {
    const tenant = res.locals.tenant!;
    const body = req.body as Record<string, unknown>;
    try {
      const input = counterInputFromForm(body);
      const allowed = await allowedTypeCodes(db, tenant, res.locals.staff!.principal);
      const created = await createCounterPosition(db, tenant, input, staffActor(res.locals.staff!), allowed, req.id as string | undefined);
      res.redirect(303, `${base(res)}/posizioni/${created.id}?creata=1`);
    } catch (err) {
      if (!(err instanceof FormValidationError)) throw err;
      res.status(422);
      await showNewForm(ctx, res, body, err.fieldErrors);
    }
  });

  router.get("/posizioni/:positionId", allow("tenant.read"), async (req: Request<{ positionId: string }>, res) => {
    const tenant = res.locals.tenant!;
    const detail = await getPositionDetail(db, journalOfNotices, tenant.id, req.params.positionId);
    renderPage(res, "position-detail", `${base(res)}/posizioni`, {
      title: `Posizione ${detail.position.iupd}`,
      ...detail,
      flash: req.query.creata ? "Posizione creata: l'avviso è pronto da stampare." : req.query.annullata ? "Posizione annullata." : undefined,
      canWrite: can(res.locals.staff!.principal, "positions.write", tenant.ipaCode),
    });
  });

  router.post("/posizioni/:positionId/annulla", allow("positions.write"), async (req: Request<{ positionId: string }>, res) => {
    const tenant = res.locals.tenant!;
    const reason = typeof req.body?.motivo === "string" ? req.body.motivo : "";
    await cancelPosition(db, tenant.id, req.params.positionId, reason, staffActor(res.locals.staff!), req.id as string | undefined);
    res.redirect(303, `${base(res)}/posizioni/${req.params.positionId}?annullata=1`);
  });

  router.get("/posizioni/:positionId/avviso.pdf", allow("tenant.read"), async (req: Request<{ positionId: string }>, res) => {
    sendPdf(res, await renderPositionNotice(pdfDeps, res.locals.tenant!.id, req.params.positionId));
  });

  router.get("/ricevute/:receiptId/ricevuta.pdf", allow("tenant.read"), async (req: Request<{ receiptId: string }>, res) => {
    sendPdf(res, await renderReceiptPdfByReceiptId(pdfDeps, res.locals.tenant!.id, req.params.receiptId));
  });
  return router;
}

async function showNewForm(ctx: BackofficeContext, res: Response, values: Record<string, unknown>, errors: Record<string, string>) {
  const tenant = res.locals.tenant!;
  const types = await counterPaymentTypes(ctx.deps.db, tenant, res.locals.staff!.principal);
  const rows = Array.from({ length: MAX_INSTALLMENT_ROWS }, (_, i) => ({
    n: i + 1,
    amount: (values as Record<string, string>)[`rata${i + 1}_importo`] ?? "",
    due: (values as Record<string, string>)[`rata${i + 1}_scadenza`] ?? "",
  }));
  renderPage(res, "position-new", `${base(res)}/posizioni/nuova`, {
    title: "Nuova posizione allo sportello",
    types: types.map((t) => ({ ...t, selected: t.code === values.paymentTypeCode })),
    v: values,
    rows,
    errors,
    errorList: Object.entries(errors).map(([field, message]) => ({ field, message })),
  });
}

const formSchema = z.object({
  paymentTypeCode: z.string().default(""),
  debtorType: z.enum(["F", "G"]).default("F"),
  fiscalCode: z.string().default(""),
  name: z.string().default(""),
  email: z.string().trim().default(""),
  subject: z.string().default(""),
  unica_importo: z.string().trim().default(""),
  unica_scadenza: z.string().trim().default(""),
});

const label = (key: string) => (key === "single" ? "Unica soluzione" : `Rata ${key.slice(4)}`);

/** Turns the counter form (euro amounts, ISO dates, up to six installment rows) into the use case's input. */
function counterInputFromForm(body: Record<string, unknown>) {
  const f = formSchema.parse(body);
  const errors: Record<string, string> = {};
  const option = (amount: string, due: string, key: string) => {
    if (!amount && !due) return undefined;
    let amountCents = 0;
    try {
      amountCents = parseEuroToCents(amount);
    } catch {
      errors[key] ??= `${label(key)}: importo non valido (es. 120,50)`;
    }
    let dueDate: Date | null = null;
    try {
      dueDate = endOfRomeDay(due);
    } catch {
      // reported below
    }
    if (!dueDate) errors[key] ??= `${label(key)}: indica la scadenza`;
    return { amountCents, dueDate: dueDate ?? new Date(0) };
  };
  const single = option(f.unica_importo, f.unica_scadenza, "single");
  const installments = Array.from({ length: MAX_INSTALLMENT_ROWS }, (_, i) => option(String(body[`rata${i + 1}_importo`] ?? "").trim(), String(body[`rata${i + 1}_scadenza`] ?? "").trim(), `rata${i + 1}`)).filter((o) => o !== undefined);
  if (Object.keys(errors).length > 0) throw new FormValidationError(errors);
  return {
    paymentTypeCode: f.paymentTypeCode,
    debtor: { type: f.debtorType, fiscalCode: f.fiscalCode, name: f.name, ...(f.email ? { email: f.email } : {}) },
    subject: f.subject,
    single,
    installments: installments.length > 0 ? installments : undefined,
  };
}
