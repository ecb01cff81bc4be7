import { randomInt } from "node:crypto";
import type { Database } from "../../platform/db/database.ts";
import type { Logger } from "../../platform/observability/logger.ts";
import { buildNav, type TestNodo } from "../../pagopa/index.ts";
import { cancelPosition, createPosition } from "../../positions/index.ts";
import { runStep, StepFailed, type RunStep } from "./run-step.ts";
import { loadRunPrerequisites, testPosition, type RunPrerequisites } from "./test-data.ts";

const SYSTEM = { type: "system" as const, id: "preproduction-tests" };

/**
 * Runs the scripted pre-production tests of one queued run (issue 17 item 2): on the council's
 * test station, through the test Nodo's PSP counter, a verify of an unknown notice, a verify and a
 * full payment with its receipt, a second payment of the paid notice, a cancelled and an expired
 * notice, and a payment split with a second beneficiary. Each step records what the Nodo
 * exchanged with the station and what PontePA stored, and the run is saved after every step so
 * the report page shows its progress. A step that fails does not stop the others.
 */
export async function runPreproductionTests(
  db: Database,
  nodo: TestNodo,
  logger: Logger,
  runId: string,
  tenantId: string,
  now = new Date(),
): Promise<{ state: "PASSED" | "FAILED"; steps: RunStep[] }> {
  const run = await db.withTenant(tenantId, (tx) => tx.preproductionRun.findUnique({ where: { id: runId } }));
  if (!run || run.state === "PASSED" || run.state === "FAILED")
    return { state: run?.state === "PASSED" ? "PASSED" : "FAILED", steps: [] };
  const steps: RunStep[] = [];
  const save = (data: Record<string, unknown>) =>
    db.withTenant(tenantId, (tx) =>
      tx.preproductionRun.update({ where: { id: runId }, data: { ...data, steps: steps as object[] } }),
    );

  const prerequisites = await loadRunPrerequisites(db, tenantId, now);
  if ("missing" in prerequisites) {
    steps.push(
      await runStep(
        "prerequisites",
        "Configurazione dell'ente",
        "L'ente ha un conto e un tipo di pagamento attivi ed è in collaudo",
        async () => {
          throw new StepFailed(`Il collaudo non può partire: ${prerequisites.missing}.`);
        },
      ),
    );
    await save({ state: "FAILED", startedAt: now, finishedAt: new Date() });
    return { state: "FAILED", steps };
  }
  await save({ state: "RUNNING", startedAt: now, stationCode: prerequisites.stationCode });
  for (const step of scenario(db, nodo, prerequisites, runId, now)) {
    steps.push(await step());
    await save({});
  }
  const state = steps.every((s) => s.ok) ? "PASSED" : "FAILED";
  await save({ state, finishedAt: new Date() });
  logger.info(
    { runId, tenantId, state, failed: steps.filter((s) => !s.ok).map((s) => s.key) },
    "pre-production run finished",
  );
  return { state, steps };
}

function scenario(
  db: Database,
  nodo: TestNodo,
  p: RunPrerequisites,
  runId: string,
  now: Date,
): Array<() => Promise<RunStep>> {
  const notice = (nav: string) => ({ creditorFiscalCode: p.tenant.fiscalCode, nav, stationCode: p.stationCode });
  const create = async (key: string, cents: number, options: { expiresAt?: Date; split?: boolean } = {}) => {
    const created = await createPosition(db, p.tenant, testPosition(p, runId, key, cents, { ...options, now }), SYSTEM);
    return { id: created.id, nav: created.options[0]!.nav };
  };
  const expectFault = async (nav: string, fault: string) => {
    const v = await nodo.verify(notice(nav));
    if (v.ok || v.faultCode !== fault)
      throw new StepFailed(`La stazione ha risposto ${v.ok ? "OK" : v.faultCode}, atteso ${fault}.`, {
        nav,
        exchanges: v.exchanges,
      });
    return { outcome: `Risposta ${fault} come previsto.`, nav, exchanges: v.exchanges };
  };
  const payAndCheck = async (nav: string, transfers: number) => {
    const paid = await nodo.pay(notice(nav));
    if (!paid.ok || !paid.receiptId)
      throw new StepFailed(`Il pagamento non si è concluso: ${paid.error ?? "nessuna ricevuta"}.`, {
        nav,
        exchanges: paid.exchanges,
      });
    const stored = await db.withTenant(p.tenant.id, (tx) =>
      tx.receipt.findFirst({
        where: { tenantId: p.tenant.id, receiptId: paid.receiptId },
        select: { outcome: true, transfers: true },
      }),
    );
    if (!stored)
      throw new StepFailed(`La ricevuta ${paid.receiptId} non risulta registrata da PontePA.`, {
        nav,
        exchanges: paid.exchanges,
      });
    const storedTransfers = Array.isArray(stored.transfers) ? stored.transfers.length : 0;
    if (storedTransfers !== transfers || paid.transfers !== transfers)
      throw new StepFailed(`La ricevuta riporta ${storedTransfers} versamenti, attesi ${transfers}.`, {
        nav,
        exchanges: paid.exchanges,
      });
    return {
      outcome: `Pagato; ricevuta ${paid.receiptId} registrata (${transfers} versament${transfers === 1 ? "o" : "i"}).`,
      nav,
      exchanges: paid.exchanges,
    };
  };
  let paidNav = "";
  return [
    () =>
      runStep("unknown", "Avviso inesistente", "La verifica risponde PAA_PAGAMENTO_SCONOSCIUTO", async () => {
        // A well-formed NAV of the council's own numbering that was never issued: a base from the
        // top of the range below the permuted one, which sequential numbering never reached.
        const { nav } = buildNav({
          segregationCode: p.tenant.segregationCode,
          iuvBase: 999_000_000_000 + randomInt(999_999_999),
        });
        return expectFault(nav, "PAA_PAGAMENTO_SCONOSCIUTO");
      }),
    () =>
      runStep(
        "verify",
        "Verifica di un avviso",
        "La verifica risponde OK con l'importo dell'avviso (1,23 €)",
        async () => {
          const { nav } = await create("PAGAMENTO", 123);
          paidNav = nav;
          const v = await nodo.verify(notice(nav));
          if (!v.ok || v.amountCents !== 123)
            throw new StepFailed(
              `La stazione ha risposto ${v.ok ? `un importo di ${v.amountCents} centesimi` : v.faultCode}.`,
              { nav, exchanges: v.exchanges },
            );
          return { outcome: "Risposta OK con l'importo dell'avviso.", nav, exchanges: v.exchanges };
        },
      ),
    () =>
      runStep(
        "payment",
        "Pagamento e ricevuta",
        "Attivazione, pagamento al PSP e ricevuta registrata da PontePA",
        async () => {
          if (!paidNav) throw new StepFailed("L'avviso del passo precedente non è stato creato.");
          return payAndCheck(paidNav, 1);
        },
      ),
    () =>
      runStep("duplicate", "Avviso già pagato", "La verifica risponde PAA_PAGAMENTO_DUPLICATO", async () => {
        if (!paidNav) throw new StepFailed("L'avviso del passo precedente non è stato creato.");
        return expectFault(paidNav, "PAA_PAGAMENTO_DUPLICATO");
      }),
    () =>
      runStep("cancelled", "Avviso annullato", "La verifica risponde PAA_PAGAMENTO_ANNULLATO", async () => {
        const { id, nav } = await create("ANNULLATO", 456);
        await cancelPosition(db, p.tenant.id, id, "collaudo automatico: avviso annullato", SYSTEM);
        return expectFault(nav, "PAA_PAGAMENTO_ANNULLATO");
      }),
    () =>
      runStep("expired", "Avviso scaduto", "La verifica risponde PAA_PAGAMENTO_SCADUTO", async () => {
        const { nav } = await create("SCADUTO", 789, { expiresAt: new Date(now.getTime() - 60_000) });
        return expectFault(nav, "PAA_PAGAMENTO_SCADUTO");
      }),
    () =>
      runStep(
        "multi-beneficiary",
        "Pagamento con due beneficiari",
        `Pagamento di 10,00 € diviso con ${p.secondary.name}; ricevuta con due versamenti`,
        async () => {
          const { nav } = await create("MULTIBENEFICIARIO", 1000, { split: true });
          return payAndCheck(nav, 2);
        },
      ),
  ];
}
