import { Router, type Request, type Response } from "express";
import { z } from "zod";
import {
  CLASSIFICATION_CODES,
  classificationQuerySchema,
  exportAccountingSplit,
  exportClassifications,
  listClassifications,
  paymentDocuments,
  reconciliationPeriodSchema,
  reconciliationTotals,
  type ClassificationCode,
  type SplitFormat,
} from "../../server/reconciliation/index.ts";
import {
  matchCreditManually,
  manualMatchSchema,
  manualUnmatchSchema,
  treasuryCreditDetail,
  unmatchCreditManually,
  type CreditStatus,
} from "../../server/treasury/index.ts";
import { can } from "../../server/identity/staff/index.ts";
import { AppError } from "../../server/platform/errors.ts";
import { staffActor, type BackofficeContext } from "./backoffice.context.ts";
import { allow } from "./guards.ts";
import { renderPage } from "./nav.ts";
import { CREDIT_STATUS_LABELS } from "./reconciliation.pages.ts";
import { CLASSIFICATION_LABELS, MANUAL_MATCH_LABELS, SUBJECT_KIND_LABELS } from "./reconciliation-labels.ts";
import { fieldErrorsOf, showErrors, type ShownErrors } from "../shared/form-errors.ts";

const PERIOD_LABELS = { dal: { label: "Dal", id: "dal" }, al: { label: "Al", id: "al" }, codice: "Esito" };
const codeLabel = (code: string) => CLASSIFICATION_LABELS[code as ClassificationCode] ?? code;
const noErrors: ShownErrors = { errors: {}, errorList: [] };
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const CREDIT_FLASH: Record<string, string> = {
  abbinato: "Accredito abbinato al flusso.",
  disabbinato: "Abbinamento annullato.",
};

/**
 * The reconciliation section beyond the overview (reconciliation.pages.ts): totals by day,
 * month, payment type, chapter and PSP; the classifications by outcome code and period, paged,
 * with CSV/XLSX exports; each payment's documents side by side; each treasury credit with the
 * manual match and unmatch (positions.write, audited with the reason); the accounting split
 * and its exports. Every page works without JavaScript (GET forms, links, POST forms).
 */
export function reconciliationSectionPages(ctx: BackofficeContext): Router {
  const router = Router({ mergeParams: true });
  const { db } = ctx.deps;
  const base = (res: Response) => `/backoffice/enti/${res.locals.tenant!.ipaCode}/riconciliazione`;
  const page = (res: Response, view: string, data: Record<string, unknown>) =>
    renderPage(res, view, base(res), { sectionBase: base(res), ...data });
  router.get("/riconciliazione/totali", allow("tenant.read"), async (req, res) => {
    const period = reconciliationPeriodSchema.safeParse(req.query);
    if (!period.success) {
      res.status(422);
      return page(res, "reconciliation-totals", {
        title: "Totali della riconciliazione",
        q: req.query,
        ...showErrors(fieldErrorsOf(period.error), PERIOD_LABELS),
      });
    }
    const totals = await reconciliationTotals(db, res.locals.tenant!.id, period.data);
    const sections = [
      { id: "mese", title: "Per mese", head: "Mese", rows: totals.byMonth },
      { id: "giorno", title: "Per giorno", head: "Giorno", rows: totals.byDay },
      { id: "tipo", title: "Per tipo di dovuto", head: "Tipo di dovuto", rows: totals.byPaymentType },
      { id: "psp", title: "Per prestatore (PSP)", head: "Prestatore", rows: totals.byPsp },
      { id: "capitolo", title: "Per capitolo e accertamento", head: "Capitolo", rows: totals.byChapter, chapter: true },
    ];
    page(res, "reconciliation-totals", {
      title: "Totali della riconciliazione",
      q: period.data,
      totals,
      sections,
      ...noErrors,
    });
  });

  router.get("/riconciliazione/esiti", allow("tenant.read"), async (req, res) => {
    const q = classificationQuerySchema.safeParse(req.query);
    const codes = CLASSIFICATION_CODES.map((code) => ({ code, label: CLASSIFICATION_LABELS[code] }));
    if (!q.success) {
      res.status(422);
      return page(res, "reconciliation-outcomes", {
        title: "Esiti della riconciliazione",
        q: req.query,
        codes,
        ...showErrors(fieldErrorsOf(q.error), PERIOD_LABELS),
      });
    }
    const result = await listClassifications(db, res.locals.tenant!.id, q.data);
    const params = new URLSearchParams({
      dal: q.data.dal,
      al: q.data.al,
      ...(q.data.codice ? { codice: q.data.codice } : {}),
    });
    page(res, "reconciliation-outcomes", {
      title: "Esiti della riconciliazione",
      q: q.data,
      codes: codes.map((c) => ({ ...c, selected: c.code === q.data.codice })),
      result: {
        ...result,
        rows: result.rows.map((r) => ({
          ...r,
          label: codeLabel(r.code),
          kindLabel: SUBJECT_KIND_LABELS[r.subjectKind] ?? r.subjectKind,
          isPayment: r.subjectKind === "PAYMENT",
          isCredit: r.subjectKind === "CREDIT",
        })),
        byCode: result.byCode.map((b) => ({ ...b, label: codeLabel(b.code) })),
      },
      exportQuery: params.toString(),
      prev: result.page > 1 ? `?${params}&pagina=${result.page - 1}` : null,
      next: result.page < result.pages ? `?${params}&pagina=${result.page + 1}` : null,
      ...noErrors,
    });
  });

  for (const format of ["csv", "xlsx"] as const)
    router.get(`/riconciliazione/esiti.${format}`, allow("tenant.read"), async (req, res) => {
      const q = classificationQuerySchema.safeParse(req.query);
      if (!q.success) throw new AppError("FORM_INVALID", `Periodo non valido: ${q.error.issues[0]!.message}`, 422);
      const name = `esiti-${res.locals.tenant!.ipaCode}-${q.data.dal}-${q.data.al}${q.data.codice ? `-${q.data.codice}` : ""}`;
      res.type(format === "csv" ? "text/csv; charset=utf-8" : XLSX).attachment(`${name}.${format}`);
      await streamed(res, exportClassifications(db, res.locals.tenant!.id, q.data, format, res));
    });

  router.get("/riconciliazione/ripartizione", allow("tenant.read"), async (req, res) => {
    const period = reconciliationPeriodSchema.safeParse(req.query);
    if (!period.success) {
      res.status(422);
      return page(res, "reconciliation-split", {
        title: "Ripartizione contabile",
        q: req.query,
        ...showErrors(fieldErrorsOf(period.error), PERIOD_LABELS),
      });
    }
    const totals = await reconciliationTotals(db, res.locals.tenant!.id, period.data);
    page(res, "reconciliation-split", {
      title: "Ripartizione contabile",
      q: period.data,
      byChapter: totals.byChapter,
      total: totals.total,
      exportQuery: new URLSearchParams(period.data).toString(),
      ...noErrors,
    });
  });

  for (const [suffix, layout] of [
    [".csv", "csv"],
    [".xlsx", "xlsx"],
    ["-mypivot.csv", "mypivot"],
  ] as Array<[string, SplitFormat]>)
    router.get(`/riconciliazione/ripartizione${suffix}`, allow("tenant.read"), async (req, res) => {
      const period = reconciliationPeriodSchema.safeParse(req.query);
      if (!period.success)
        throw new AppError("FORM_INVALID", `Periodo non valido: ${period.error.issues[0]!.message}`, 422);
      const { dal, al } = period.data;
      res
        .type(layout === "xlsx" ? XLSX : "text/csv; charset=utf-8")
        .attachment(`ripartizione-${res.locals.tenant!.ipaCode}-${dal}-${al}${suffix}`);
      await streamed(res, exportAccountingSplit(db, res.locals.tenant!.id, period.data, layout, res));
    });

  router.get("/riconciliazione/pagamenti/:iuv", allow("tenant.read"), async (req: Request<{ iuv: string }>, res) => {
    const docs = await paymentDocuments(db, res.locals.tenant!.id, req.params.iuv);
    page(res, "reconciliation-payment", {
      title: `Pagamento IUV ${docs.iuv}`,
      docs: {
        ...docs,
        credits: docs.credits.map((c) => ({
          ...c,
          statusLabel: CREDIT_STATUS_LABELS[c.status as CreditStatus] ?? c.status,
        })),
      },
      codeLabel: docs.classification ? codeLabel(docs.classification.code) : null,
    });
  });

  const showCredit = async (res: Response, creditId: string, extra: Record<string, unknown> = {}) => {
    const tenant = res.locals.tenant!;
    const detail = await treasuryCreditDetail(db, tenant.id, creditId);
    // A reconciled credit is never offered a match (the server refuses it too): only its undoing.
    const reconciled = detail.credit.status === "MATCHED";
    page(res, "reconciliation-credit", {
      title: "Accredito di tesoreria",
      ...detail,
      statusLabel: CREDIT_STATUS_LABELS[detail.credit.status as CreditStatus] ?? detail.credit.status,
      canMatch: can(res.locals.staff!.principal, "positions.write", tenant.ipaCode),
      reconciled,
      canUnmatch: reconciled || detail.credit.manualMatch !== null,
      unmatchTitle: detail.credit.manualMatch ? "Annulla l'intervento manuale" : "Annulla l'abbinamento",
      flash: CREDIT_FLASH[String(res.req.query.esito)],
      ...noErrors,
      ...extra,
    });
  };
  const creditIdOf = (req: Request) => String(req.params.creditId);

  router.get("/riconciliazione/accrediti/:creditId", allow("tenant.read"), async (req, res) =>
    showCredit(res, creditIdOf(req)),
  );

  const formBody = z.object({ flowId: z.string().optional(), reason: z.string().optional() });
  router.post("/riconciliazione/accrediti/:creditId/abbina", allow("positions.write"), async (req, res) => {
    const creditId = creditIdOf(req);
    await treasuryCreditDetail(db, res.locals.tenant!.id, creditId); // 404 before reading the form
    const body = formBody.parse(req.body ?? {});
    const input = manualMatchSchema.safeParse({ creditId, flowId: body.flowId ?? "", reason: body.reason ?? "" });
    if (!input.success) {
      res.status(422);
      return showCredit(res, creditId, { v: body, ...showErrors(fieldErrorsOf(input.error), MANUAL_MATCH_LABELS) });
    }
    try {
      await matchCreditManually(db, res.locals.tenant!.id, staffActor(res.locals.staff!), input.data);
    } catch (err) {
      if (!(err instanceof AppError) || !["NOT_FOUND", "TREASURY_CREDIT_MATCHED"].includes(err.code)) throw err;
      res.status(err.code === "NOT_FOUND" ? 422 : 409);
      return showCredit(res, creditId, { v: body, ...showErrors({ flowId: err.message }, MANUAL_MATCH_LABELS) });
    }
    res.redirect(303, `${base(res)}/accrediti/${creditId}?esito=abbinato`);
  });

  router.post("/riconciliazione/accrediti/:creditId/disabbina", allow("positions.write"), async (req, res) => {
    const creditId = creditIdOf(req);
    await treasuryCreditDetail(db, res.locals.tenant!.id, creditId);
    const body = formBody.parse(req.body ?? {});
    const input = manualUnmatchSchema.safeParse({ creditId, reason: body.reason ?? "" });
    if (!input.success) {
      res.status(422);
      return showCredit(res, creditId, {
        unmatchErrors: true,
        ...showErrors(fieldErrorsOf(input.error), { reason: { label: "Motivo", id: "unmatchReason" }, form: "form" }),
      });
    }
    await unmatchCreditManually(db, res.locals.tenant!.id, staffActor(res.locals.staff!), input.data);
    res.redirect(303, `${base(res)}/accrediti/${creditId}?esito=disabbinato`);
  });

  return router;
}

// A failure after the first bytes went out cannot become an error page: the download is cut
// short (the browser shows it failed) rather than left hanging.
async function streamed(res: Response, writing: Promise<void>): Promise<void> {
  try {
    await writing;
  } catch (err) {
    if (!res.headersSent) throw err;
    res.destroy(err as Error);
  }
}
