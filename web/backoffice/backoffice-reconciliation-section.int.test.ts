import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { makeTenant } from "../../server/test/factories.ts";
import { classificationFixture } from "../../server/test/harness/reconciliation/classification-fixture.ts";
import { classifyPayments, ingestReportingFlow, reconciliationTotals } from "../../server/reconciliation/index.ts";
import { importTreasuryFile } from "../../server/treasury/index.ts";
import { readBilancio } from "../../server/imports/formats/mypay-bilancio.ts";
import { Prisma, type Tenant } from "../../server/generated/prisma/client.ts";
import {
  principal,
  sessionFor,
  startBackoffice,
  type Harness,
} from "../../server/test/harness/backoffice/backoffice-harness.ts";

/**
 * The reconciliation section on seeded payments whose sums are worked out by hand below:
 * A 10,00 TARI (type defaults 1010 / 2026/7), B 30,00 TARI (a transfer split 15+5 on two
 * lines, another 10,00 on 2020/A9), both reported in F1 and credited in full on 20 November;
 * C 7,00 MENSA (no defaults) reported in F2, no credit, 21 November by another PSP; D 12,00
 * paid 1 December, not reported. A credit without reference (25,00) is matched by hand.
 */
describe("back-office: reconciliation section (totals, outcomes, documents, manual match, exports)", () => {
  let h: Harness;
  let t: Tenant;
  let other: Tenant;
  let viewer: { cookie: string; csrf: string };
  let operator: { cookie: string; csrf: string };
  const iuv: Record<string, string> = {};
  let looseCredit = "";
  let otherCredit = "";
  const november = { dal: "2026-11-01", al: "2026-11-30" };

  beforeAll(async () => {
    h = await startBackoffice();
    t = await makeTenant(h.deps.db, { name: "Comune dei Totali" });
    other = await makeTenant(h.deps.db, { name: "Comune Vicino" });
    const fx = classificationFixture(h.deps.db, t);
    const [tari, mensa] = await h.deps.db.withTenant(t.id, (tx) =>
      Promise.all([
        tx.paymentType.create({
          data: {
            tenantId: t.id,
            code: "TARI",
            name: "Tassa rifiuti",
            taxonomyCode: "9/0101002IM/",
            accountingChapter: "1010",
            defaultAssessment: "2026/7",
          },
        }),
        tx.paymentType.create({ data: { tenantId: t.id, code: "MENSA", name: "Mensa", taxonomyCode: "9/0101100IM/" } }),
      ]),
    );
    const transfers = (id: string, list: Array<Record<string, unknown> & { amountCents: number }>) =>
      h.deps.db.withTenant(t.id, async (tx) => {
        const o = await tx.paymentOption.findFirstOrThrow({ where: { iuv: id } });
        for (const [i, tr] of list.entries())
          await tx.transfer.create({
            data: {
              tenantId: t.id,
              optionId: o.id,
              index: i + 1,
              beneficiaryFiscalCode: t.fiscalCode,
              iban: "IT60X0542811101000000123456",
              taxonomyCode: "9/0101002IM/",
              remittanceText: "Prova",
              ...tr,
            },
          });
      });
    iuv.A = await fx.debt(1000, { paymentTypeId: tari.id });
    await transfers(iuv.A, [{ amountCents: 1000 }]);
    iuv.B = await fx.debt(3000, { paymentTypeId: tari.id });
    await transfers(iuv.B, [
      {
        amountCents: 2000,
        accountingLines: [
          { budgetChapter: "3030", office: "U1", assessment: "B1", amountCents: 1500 },
          { budgetChapter: "3031", assessment: "B2", amountCents: 500 },
        ],
      },
      { amountCents: 1000, budgetChapter: "2020", assessment: "A9" },
    ]);
    iuv.C = await fx.debt(700, { paymentTypeId: mensa.id });
    await transfers(iuv.C, [{ amountCents: 700 }]);
    iuv.D = await fx.debt(1200);
    await transfers(iuv.D, [{ amountCents: 1200, budgetChapter: "4040" }]);
    const a = await fx.receipt(iuv.A, 1000);
    const b = await fx.receipt(iuv.B, 3000);
    const c = await fx.receipt(iuv.C, 700, { pspId: "UNCRITMM", paidAt: new Date("2026-11-21T10:00:00Z") });
    await fx.receipt(iuv.D, 1200, { paidAt: new Date("2026-12-01T10:00:00Z") });
    await ingestReportingFlow(h.deps.db, t, fx.flow("2026-11-21BDPSIMIT-T1", [a, b]));
    await ingestReportingFlow(h.deps.db, t, fx.flow("2026-11-21BDPSIMIT-T2", [c]));
    await importTreasuryFile(h.deps.db, t.id, {
      fileName: "giornale.csv",
      bytes: fx.journal([
        [4000, fx.credit("2026-11-21BDPSIMIT-T1")],
        [2500, "BONIFICO BANCA SENZA RIFERIMENTO"],
      ]),
    });
    await h.deps.db.withTenant(t.id, (tx) => classifyPayments(tx, t.id, { all: true }));
    looseCredit = (
      await h.deps.db.withTenant(t.id, (tx) => tx.treasuryCredit.findFirstOrThrow({ where: { flowId: null } }))
    ).id;
    const ofx = classificationFixture(h.deps.db, other);
    await importTreasuryFile(h.deps.db, other.id, {
      fileName: "altro.csv",
      bytes: ofx.journal([[100, "ALTRO ENTE"]]),
    });
    otherCredit = (await h.deps.db.withTenant(other.id, (tx) => tx.treasuryCredit.findFirstOrThrow({ where: {} }))).id;
    viewer = await sessionFor(h, principal("viewer.tot", [], { [t.ipaCode]: ["viewer"] }));
    operator = await sessionFor(h, principal("operator.tot", [], { [t.ipaCode]: ["operator"] }));
  }, 90_000);
  afterAll(async () => {
    await h.stop();
  });

  const base = () => `/backoffice/enti/${t.ipaCode}/riconciliazione`;
  const get = (who: { cookie: string }, path: string) =>
    fetch(`${h.base}${path}`, { redirect: "manual", headers: { cookie: who.cookie, accept: "text/html" } });
  const post = (who: { cookie: string; csrf: string }, path: string, fields: Record<string, string>, csrf = who.csrf) =>
    fetch(`${h.base}${path}`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie: who.cookie, "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
      body: new URLSearchParams({ _csrf: csrf, ...fields }),
    });
  const sums = (collectedCents: number, reportedCents: number, creditedCents: number) => ({
    collectedCents,
    reportedCents,
    creditedCents,
  });

  test("totals by day, month, payment type, PSP and chapter equal the hand-computed sums", async () => {
    const totals = await reconciliationTotals(h.deps.db, t.id, { dal: "2026-11-01", al: "2026-12-31" });
    expect(totals.byDay).toEqual([
      { key: "2026-11-20", label: null, payments: 2, ...sums(4000, 4000, 4000) },
      { key: "2026-11-21", label: null, payments: 1, ...sums(700, 700, 0) },
      { key: "2026-12-01", label: null, payments: 1, ...sums(1200, 0, 0) },
    ]);
    expect(totals.byMonth).toEqual([
      { key: "2026-11", label: null, payments: 3, ...sums(4700, 4700, 4000) },
      { key: "2026-12", label: null, payments: 1, ...sums(1200, 0, 0) },
    ]);
    expect(totals.byPaymentType).toEqual([
      { key: "MENSA", label: "Mensa", payments: 1, ...sums(700, 700, 0) },
      { key: "TARI", label: "Tassa rifiuti", payments: 2, ...sums(4000, 4000, 4000) },
      { key: null, label: null, payments: 1, ...sums(1200, 0, 0) },
    ]);
    expect(totals.byPsp).toEqual([
      { key: "BDPSIMIT", label: null, payments: 3, ...sums(5200, 4000, 4000) },
      { key: "UNCRITMM", label: null, payments: 1, ...sums(700, 700, 0) },
    ]);
    expect(totals.byChapter).toEqual([
      { key: "1010", label: null, assessment: "2026/7", payments: 1, ...sums(1000, 1000, 1000) },
      { key: "2020", label: null, assessment: "A9", payments: 1, ...sums(1000, 1000, 1000) },
      { key: "3030", label: null, assessment: "B1", payments: 1, ...sums(1500, 1500, 1500) },
      { key: "3031", label: null, assessment: "B2", payments: 1, ...sums(500, 500, 500) },
      { key: "4040", label: null, assessment: null, payments: 1, ...sums(1200, 0, 0) },
      { key: null, label: null, assessment: null, payments: 1, ...sums(700, 700, 0) },
    ]);
    expect(totals.total).toEqual({ payments: 4, ...sums(5900, 4700, 4000) });
  });

  test("the totals page shows the period's sums in Italian", async () => {
    const res = await get(viewer, `${base()}/totali?dal=2026-11-01&al=2026-11-30`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("<h1>Totali della riconciliazione</h1>");
    expect(html.split('data-testid="totals-summary"')[1]!.split("</p>")[0]).toContain("incassati 47,00 €");
    expect(html.split('data-testid="totals-capitolo"')[1]!.split("</table>")[0]).toContain("3030");
    const bad = await get(viewer, `${base()}/totali?dal=2026-12-01&al=2026-11-01`);
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain("la data iniziale viene dopo la finale");
  });

  test("the outcome list filters by code and period and links each payment to its documents", async () => {
    const res = await get(viewer, `${base()}/esiti?dal=2026-11-01&al=2026-11-30&codice=IUD_RT_IUF_TES`);
    expect(res.status).toBe(200);
    const table = (await res.text()).split('data-testid="outcomes"')[1]!.split("</table>")[0]!;
    expect(table).toContain(iuv.A);
    expect(table).toContain(iuv.B);
    expect(table).not.toContain(iuv.C);
    expect(table).toContain(`${base()}/pagamenti/${iuv.A}`);
    const all = await (await get(viewer, `${base()}/esiti?dal=2026-11-01&al=2026-11-30`)).text();
    expect(all).toContain("TES_NO_MATCH");
    // November: payments A, B, C; flow T2 without credit; the credit without reference.
    expect(all).toContain("5 esiti per");
  });

  test("a payment's page shows debt, split, receipt, flow row and credit; another council's IUV is 404", async () => {
    const res = await get(viewer, `${base()}/pagamenti/${iuv.B}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("IUD_RT_IUF_TES");
    expect(html.split('data-testid="payment-transfers"')[1]!.split("</table>")[0]).toContain("2020");
    expect(html.split('data-testid="payment-rows"')[1]!.split("</table>")[0]).toContain("2026-11-21BDPSIMIT-T1");
    expect(html.split('data-testid="payment-credits"')[1]!.split("</table>")[0]).toContain("40,00 €");
    const otherCouncil = await get(viewer, `/backoffice/enti/${other.ipaCode}/riconciliazione/pagamenti/${iuv.B}`);
    expect(otherCouncil.status).toBe(403);
    expect((await get(viewer, `${base()}/pagamenti/09999999999999999`)).status).toBe(404);
  });

  test("exports: outcomes as CSV and XLSX, the split as CSV and in MyPivot's layout, parsed back", async () => {
    const csv = await get(viewer, `${base()}/esiti.csv?dal=2026-11-01&al=2026-11-30&codice=IUD_RT_IUF_TES`);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const rows = parse(await csv.text(), { delimiter: ";", columns: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => [r.iuv, r.esito, r.importo]).sort()).toEqual(
      [
        [iuv.A, "IUD_RT_IUF_TES", "10,00"],
        [iuv.B, "IUD_RT_IUF_TES", "30,00"],
      ].sort(),
    );

    const xlsx = await get(viewer, `${base()}/esiti.xlsx?dal=2026-11-01&al=2026-11-30&codice=IUD_RT_IUF_TES`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as never);
    const sheet = wb.worksheets[0]!;
    expect(sheet.getRow(1).getCell(2).value).toBe("esito");
    expect(sheet.rowCount).toBe(3);
    const amounts = [2, 3].map((r) => sheet.getRow(r).getCell(11).value).sort();
    expect(amounts).toEqual([10, 30]);

    const split = parse(
      await (await get(viewer, `${base()}/ripartizione.csv?${new URLSearchParams(november)}`)).text(),
      {
        delimiter: ";",
        columns: true,
      },
    ) as Array<Record<string, string>>;
    expect(split.filter((l) => l.iuv === iuv.B).map((l) => [l.capitolo, l.ufficio, l.accertamento, l.importo])).toEqual(
      [
        ["3030", "U1", "B1", "15,00"],
        ["3031", "", "B2", "5,00"],
        ["2020", "", "A9", "10,00"],
      ],
    );
    expect(split.filter((l) => l.iuv === iuv.A).map((l) => [l.capitolo, l.accertamento])).toEqual([["1010", "2026/7"]]);
    expect(split.some((l) => l.iuv === iuv.D)).toBe(false); // paid in December

    const mypivot = parse(
      await (await get(viewer, `${base()}/ripartizione-mypivot.csv?${new URLSearchParams(november)}`)).text(),
      { delimiter: ";", columns: true },
    ) as Array<Record<string, string>>;
    expect(Object.keys(mypivot[0]!).at(-1)).toBe("bilancio");
    const b = mypivot.find((r) => r.codIuv === iuv.B)!;
    expect(b.importoDovutoPagato).toBe("30.00");
    expect(b.dataEsecuzionePagamento).toBe("2026-11-20");
    expect(readBilancio(b.bilancio!, 3000)).toEqual([
      { budgetChapter: "3030", office: "U1", assessment: "B1", amountCents: 1500 },
      { budgetChapter: "3031", office: undefined, assessment: "B2", amountCents: 500 },
      { budgetChapter: "2020", office: undefined, assessment: "A9", amountCents: 1000 },
    ]);
    expect(mypivot.find((r) => r.codIuv === iuv.C)!.bilancio).toBe("");
  });

  test("manual match and unmatch: reason required, audited, re-classifies; viewers, CSRF and other councils refused", async () => {
    const path = `${base()}/accrediti/${looseCredit}`;
    expect((await get(viewer, path)).status).toBe(200);
    expect(
      (await post(viewer, `${path}/abbina`, { flowId: "2026-11-21BDPSIMIT-T2", reason: "vista la causale" })).status,
    ).toBe(403);
    expect(
      (await post(operator, `${path}/abbina`, { flowId: "2026-11-21BDPSIMIT-T2", reason: "x" }, "sbagliato")).status,
    ).toBe(403);
    const noReason = await post(operator, `${path}/abbina`, { flowId: "2026-11-21BDPSIMIT-T2", reason: "" });
    expect(noReason.status).toBe(422);
    expect(await noReason.text()).toContain("Motivo: indica il motivo");
    const noFlow = await post(operator, `${path}/abbina`, { flowId: "NON-ESISTE", reason: "prova" });
    expect(noFlow.status).toBe(422);
    expect(
      (
        await post(operator, `/backoffice/enti/${t.ipaCode}/riconciliazione/accrediti/${otherCredit}/abbina`, {
          flowId: "2026-11-21BDPSIMIT-T2",
          reason: "prova",
        })
      ).status,
    ).toBe(404);
    const credit = () =>
      h.deps.db.withTenant(t.id, (tx) => tx.treasuryCredit.findUniqueOrThrow({ where: { id: looseCredit } }));
    expect((await credit()).flowId).toBeNull();

    const ok = await post(operator, `${path}/abbina`, {
      flowId: "2026-11-21BDPSIMIT-T2",
      reason: "bonifico del PSP senza causale",
    });
    expect(ok.status).toBe(303);
    expect((await credit()).flowId).toBe("2026-11-21BDPSIMIT-T2");
    const codeOfC = () =>
      h.deps.db.withTenant(t.id, (tx) =>
        tx.paymentClassification.findFirstOrThrow({ where: { subjectKind: "PAYMENT", subject: iuv.C } }),
      );
    expect((await codeOfC()).code).toBe("IUF_TES_DIV_IMP"); // 25,00 credited against a flow of 7,00
    const page = await (await get(viewer, path)).text();
    expect(page).toContain("bonifico del PSP senza causale");

    expect((await post(operator, `${path}/disabbina`, { reason: "" })).status).toBe(422);
    expect((await post(operator, `${path}/disabbina`, { reason: "abbinamento errato" })).status).toBe(303);
    expect((await credit()).flowId).toBeNull();
    expect((await codeOfC()).code).toBe("IUD_RT_IUF");
    const audit = await h.deps.db.withTenant(t.id, (tx) =>
      tx.auditLog.findMany({ where: { entityId: looseCredit }, orderBy: { at: "asc" } }),
    );
    expect(audit.map((a) => [a.action, (a.after as { reason: string }).reason])).toEqual([
      ["treasury.manual-match", "bonifico del PSP senza causale"],
      ["treasury.manual-unmatch", "abbinamento errato"],
    ]);
  });

  test("a reconciled credit offers the unmatch (with a reason), not the match, and matching it is refused", async () => {
    const reconciled = await h.deps.db.withTenant(t.id, (tx) =>
      tx.treasuryCredit.findFirstOrThrow({ where: { status: "MATCHED", manualMatch: { equals: Prisma.DbNull } } }),
    );
    const path = `${base()}/accrediti/${reconciled.id}`;
    const html = await (await get(operator, path)).text();
    expect(html).toContain('data-testid="unmatch-form"');
    expect(html).not.toContain('data-testid="match-form"');
    const refused = await post(operator, `${path}/abbina`, { flowId: "2026-11-21BDPSIMIT-T2", reason: "prova" });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain("già riconciliato");
    const still = await h.deps.db.withTenant(t.id, (tx) =>
      tx.treasuryCredit.findUniqueOrThrow({ where: { id: reconciled.id } }),
    );
    expect(still).toMatchObject({ flowId: reconciled.flowId, status: "MATCHED" });
  });
});
