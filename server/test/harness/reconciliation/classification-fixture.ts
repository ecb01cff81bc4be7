import { randomBytes, randomInt } from "node:crypto";
import type { Database } from "../../../platform/db/database.ts";
import type { ReportingFlowData } from "../../../reconciliation/index.ts";

/**
 * Test data for reconciliation: debts, receipts and reporting flows written straight into a
 * council's tables, so a test states each side of a payment in one line.
 */
export function classificationFixture(db: Database, tenant: { id: string; fiscalCode: string }) {
  let n = 0;
  const nextIuv = () => `0${String(Date.now() % 1e9).padStart(9, "0")}${String(++n).padStart(7, "0")}`;

  /** A debt position with one option of `amountCents` (status PAID when `paid`). */
  async function debt(amountCents: number, opts: { iuv?: string; paid?: boolean; paymentTypeId?: string } = {}) {
    const iuv = opts.iuv ?? nextIuv();
    await db.withTenant(tenant.id, async (tx) => {
      const p = await tx.debtPosition.create({
        data: {
          tenantId: tenant.id,
          iupd: `IUPD-${iuv}`,
          paymentTypeId: opts.paymentTypeId ?? null,
          debtorFiscalCode: "RSSMRA80A01H501U",
          debtorName: "Mario Rossi",
          subject: "Prova riconciliazione",
          status: opts.paid ? "PAID" : "VALID",
        },
      });
      await tx.paymentOption.create({
        data: {
          tenantId: tenant.id,
          positionId: p.id,
          nav: `3${iuv}`,
          iuv,
          amountCents,
          dueDate: new Date("2026-12-31T00:00:00Z"),
          status: opts.paid ? "PAID" : "UNPAID",
          paidAt: opts.paid ? new Date("2026-11-20T10:00:00Z") : null,
        },
      });
    });
    return iuv;
  }

  /** An OK receipt for `iuv` (of our option when there is one), one transfer to the council. */
  async function receipt(
    iuv: string,
    amountCents: number,
    opts: { pspId?: string; paidAt?: Date; receiptId?: string } = {},
  ) {
    const receiptId = opts.receiptId ?? `IUR${randomInt(1e12)}`;
    await db.withTenant(tenant.id, async (tx) => {
      const option = await tx.paymentOption.findFirst({ where: { iuv }, select: { id: true } });
      await tx.receipt.create({
        data: {
          tenantId: tenant.id,
          optionId: option?.id ?? null,
          receiptId,
          nav: `3${iuv}`.slice(0, 18),
          iuv,
          outcome: "OK",
          amountCents,
          pspId: opts.pspId ?? "BDPSIMIT",
          paymentDateTime: opts.paidAt ?? new Date("2026-11-20T10:00:00Z"),
          accessToken: randomBytes(24).toString("hex"),
          transfers: [{ index: 1, amountCents, fiscalCodePA: tenant.fiscalCode }],
        },
      });
      if (option) await tx.paymentOption.update({ where: { id: option.id }, data: { status: "PAID" } });
    });
    return { iuv, iur: receiptId, amountCents };
  }

  /** A reporting flow reporting `rows` (IUV, IUR, amount), settled on 2026-11-21. */
  function flow(flowId: string, rows: Array<{ iuv: string; iur: string; amountCents: number }>): ReportingFlowData {
    const total = rows.reduce((s, r) => s + r.amountCents, 0);
    return {
      format: "FDR1 FlussoRiversamento 1.0",
      flowId,
      pspId: "BDPSIMIT",
      revision: 1,
      flowDate: new Date("2026-11-21T08:00:00Z"),
      settlementId: `TRN-${flowId}`,
      settlementDate: "2026-11-21",
      receiverFiscalCode: tenant.fiscalCode,
      declaredCount: rows.length,
      declaredTotalCents: total,
      rows: rows.map((r, i) => ({
        position: i + 1,
        iuv: r.iuv,
        iur: r.iur,
        transferIndex: 1,
        amountCents: r.amountCents,
        outcomeCode: 0,
        outcomeDate: "2026-11-21",
      })),
      warnings: [],
    } as ReportingFlowData;
  }

  /** A treasury CSV journal: credits as [amount, description]. */
  const journal = (credits: Array<[number, string]>) =>
    Buffer.from(
      "data_valuta;importo_centesimi;causale;trn\n" +
        credits.map(([a, d], i) => `2026-11-22;${a};${d};TRN${randomInt(1e9)}-${i}`).join("\n") +
        "\n",
    );
  const credit = (flowId: string) => `/PUR/LGPE-RIVERSAMENTO/URI/${flowId}`;

  return { debt, receipt, flow, journal, credit };
}
