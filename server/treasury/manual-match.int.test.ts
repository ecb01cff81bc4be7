import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDeps } from "../test/support.ts";
import { makeTenant } from "../test/factories.ts";
import { classificationFixture } from "../test/harness/reconciliation/classification-fixture.ts";
import { ingestReportingFlow } from "../reconciliation/index.ts";
import type { Tenant } from "../generated/prisma/client.ts";
import { importTreasuryFile } from "./import-treasury-file.ts";
import { matchCreditManually, unmatchCreditManually } from "./manual-match.ts";

/** A credit the bank described without the pagoPA reference, matched and unmatched by hand. */
describe("manual match of a treasury credit to a flow", () => {
  const deps = testDeps();
  let t: Tenant;
  let iuv = "";
  let creditId = "";
  const actor = { type: "staff" as const, id: "admin.tesoreria" };
  const inTenant = <T>(fn: Parameters<typeof deps.db.withTenant<T>>[1]) => deps.db.withTenant(t.id, fn);
  const codeOf = (subject: string) =>
    inTenant((tx) => tx.paymentClassification.findFirst({ where: { subject } })).then((c) => c?.code);

  beforeAll(async () => {
    t = await makeTenant(deps.db, { name: "Comune di Abbinamento" });
    const fx = classificationFixture(deps.db, t);
    iuv = await fx.debt(4200);
    const rt = await fx.receipt(iuv, 4200);
    await ingestReportingFlow(deps.db, t, fx.flow("2026-11-21BDPSIMIT-M1", [rt]));
    await importTreasuryFile(deps.db, t.id, {
      fileName: "giornale.csv",
      bytes: fx.journal([[4200, "RIVERSAMENTO PAGOPA BDPSIMIT 21/11 RIF TRONCATO"]]),
    });
    creditId = (await inTenant((tx) => tx.treasuryCredit.findFirstOrThrow())).id;
  }, 60_000);
  afterAll(async () => {
    await deps.close();
  });

  it("matches with a reason, re-classifies, audits; unmatching restores the credit as it came", async () => {
    expect(await codeOf(iuv)).toBe("IUD_RT_IUF");
    expect(await codeOf(creditId)).toBe("TES_NO_MATCH");

    await matchCreditManually(deps.db, t.id, actor, {
      creditId,
      flowId: "2026-11-21BDPSIMIT-M1",
      reason: "Causale troncata dalla banca",
    });
    const matched = await inTenant((tx) => tx.treasuryCredit.findUniqueOrThrow({ where: { id: creditId } }));
    expect(matched).toMatchObject({ flowId: "2026-11-21BDPSIMIT-M1", status: "MATCHED" });
    expect(await codeOf(iuv)).toBe("IUD_RT_IUF_TES");
    expect(await codeOf(creditId)).toBeUndefined();

    await unmatchCreditManually(deps.db, t.id, actor, { creditId, reason: "Abbinato per errore" });
    const back = await inTenant((tx) => tx.treasuryCredit.findUniqueOrThrow({ where: { id: creditId } }));
    expect(back).toMatchObject({ flowId: null, status: "NO_PAGOPA_REFERENCE", manualMatch: null });
    expect(await codeOf(iuv)).toBe("IUD_RT_IUF");
    expect(await codeOf(creditId)).toBe("TES_NO_MATCH");

    const audit = await inTenant((tx) =>
      tx.auditLog.findMany({ where: { entityId: creditId }, orderBy: { at: "asc" } }),
    );
    expect(audit.map((a) => [a.action, a.actorId])).toEqual([
      ["treasury.manual-match", "admin.tesoreria"],
      ["treasury.manual-unmatch", "admin.tesoreria"],
    ]);
    expect(audit[0]!.after).toMatchObject({ reason: "Causale troncata dalla banca" });
    await expect(unmatchCreditManually(deps.db, t.id, actor, { creditId, reason: "di nuovo" })).rejects.toMatchObject({
      code: "TREASURY_NOT_MANUAL",
    });
  });

  it("refuses a flow the council does not hold", async () => {
    await expect(
      matchCreditManually(deps.db, t.id, actor, { creditId, flowId: "2026-11-21XXXX-1", reason: "prova" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("refuses to match a reconciled credit; unmatching it detaches it from its flow, with a reason, and undoing restores it", async () => {
    const fx = classificationFixture(deps.db, t);
    const paid = await fx.debt(3100);
    const rt = await fx.receipt(paid, 3100);
    await ingestReportingFlow(deps.db, t, fx.flow("2026-11-21BDPSIMIT-M2", [rt]));
    await importTreasuryFile(deps.db, t.id, {
      fileName: "giornale-2.csv",
      bytes: fx.journal([[3100, "/PUR/LGPE-RIVERSAMENTO/URI/2026-11-21BDPSIMIT-M2"]]),
    });
    const reconciled = await inTenant((tx) =>
      tx.treasuryCredit.findFirstOrThrow({ where: { flowId: "2026-11-21BDPSIMIT-M2" } }),
    );
    expect(reconciled.status).toBe("MATCHED");
    expect(await codeOf(paid)).toBe("IUD_RT_IUF_TES");

    await expect(
      matchCreditManually(deps.db, t.id, actor, {
        creditId: reconciled.id,
        flowId: "2026-11-21BDPSIMIT-M1",
        reason: "prova",
      }),
    ).rejects.toMatchObject({ code: "TREASURY_CREDIT_MATCHED", status: 409 });

    await unmatchCreditManually(deps.db, t.id, actor, { creditId: reconciled.id, reason: "Accredito stornato" });
    const detached = await inTenant((tx) => tx.treasuryCredit.findUniqueOrThrow({ where: { id: reconciled.id } }));
    expect(detached).toMatchObject({ flowId: null, status: "NO_PAGOPA_REFERENCE" });
    expect(detached.manualMatch).toMatchObject({ flowId: null, previousFlowId: "2026-11-21BDPSIMIT-M2" });
    expect(await codeOf(paid)).toBe("IUD_RT_IUF");
    expect(await codeOf(reconciled.id)).toBe("TES_NO_MATCH");
    const audit = await inTenant((tx) => tx.auditLog.findFirstOrThrow({ where: { entityId: reconciled.id } }));
    expect(audit).toMatchObject({
      action: "treasury.manual-unmatch",
      after: { flowId: null, reason: "Accredito stornato" },
    });

    await unmatchCreditManually(deps.db, t.id, actor, { creditId: reconciled.id, reason: "Storno annullato" });
    const restored = await inTenant((tx) => tx.treasuryCredit.findUniqueOrThrow({ where: { id: reconciled.id } }));
    expect(restored).toMatchObject({ flowId: "2026-11-21BDPSIMIT-M2", status: "MATCHED", manualMatch: null });
    expect(await codeOf(paid)).toBe("IUD_RT_IUF_TES");
  });
});
