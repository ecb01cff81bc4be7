import { Router, type Request, type Response } from "express";
import { can } from "../../server/identity/staff/index.ts";
import { AppError } from "../../server/platform/errors.ts";
import { runPreproductionTestsJob } from "../../server/nodo/preproduction/index.ts";
import {
  approvePreproductionRun,
  listPreproductionRuns,
  startPreproductionRun,
  type PreproductionRunView,
} from "../../server/tenancy/preproduction/index.ts";
import { staffActor, type BackofficeContext } from "./backoffice.context.ts";
import { allow } from "./guards.ts";
import { renderPage } from "./nav.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const STATES: Record<PreproductionRunView["state"], string> = {
  QUEUED: "In coda",
  RUNNING: "In esecuzione",
  PASSED: "Superato",
  FAILED: "Non superato",
};

const FLASH: Record<string, string> = {
  avviato: "Collaudo avviato: la pagina si aggiorna da sola finché non termina.",
  approvato: "Verbale di collaudo approvato.",
};

/**
 * A council's automatic pre-production test (issue 17 item 2): start a run on the test station,
 * follow it (the page refreshes itself while a run is going, without JavaScript), read each step's
 * evidence (the Nodo's messages and outcomes) and approve the report of a passed run. Reading
 * needs tenant.read; starting and approving tenant.configure (the council's admin, or the Region).
 */
export function preproductionPages(ctx: BackofficeContext): Router {
  const router = Router({ mergeParams: true });
  const { db } = ctx.deps;
  const base = (res: Response) => `/backoffice/enti/${res.locals.tenant!.ipaCode}/collaudo`;

  router.get("/collaudo", allow("tenant.read"), async (req: Request, res: Response) => {
    const tenant = res.locals.tenant!;
    const runs = await listPreproductionRuns(db, tenant.id);
    const going = runs.some((r) => r.state === "QUEUED" || r.state === "RUNNING");
    renderPage(res, "preproduction", base(res), {
      title: "Collaudo automatico",
      base: base(res),
      flash: FLASH[String(req.query.esito ?? "")],
      inTest: tenant.status === "TEST",
      going,
      refreshSeconds: going ? 2 : undefined,
      canConfigure: can(res.locals.staff!.principal, "tenant.configure", tenant.ipaCode),
      runs: runs.map((r) => ({
        ...r,
        stateLabel: STATES[r.state],
        passed: r.state === "PASSED",
        failed: r.state === "FAILED",
        approvable: r.state === "PASSED" && !r.approvedAt,
        steps: r.steps.map((s) => ({ ...s, at: new Date(s.at) })),
      })),
    });
  });

  router.post("/collaudo", allow("tenant.configure"), async (_req, res) => {
    await startPreproductionRun(db, res.locals.tenant!.id, staffActor(res.locals.staff!), async (run) => {
      await ctx.deps.jobs.enqueue(runPreproductionTestsJob, run);
    });
    res.redirect(303, `${base(res)}?esito=avviato`);
  });

  router.post("/collaudo/:collaudoId/approva", allow("tenant.configure"), async (req, res) => {
    const runId = String(req.params.collaudoId);
    if (!UUID.test(runId)) throw new AppError("NOT_FOUND", "Collaudo non trovato", 404);
    await approvePreproductionRun(db, res.locals.tenant!.id, runId, staffActor(res.locals.staff!));
    res.redirect(303, `${base(res)}?esito=approvato`);
  });

  return router;
}
