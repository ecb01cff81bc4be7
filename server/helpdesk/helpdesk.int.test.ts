import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Database } from "../platform/db/database.ts";
import { makeTenant } from "../test/factories.ts";
import type { Tenant } from "../generated/prisma/client.ts";
import { createPosition, type CreatedPosition } from "../positions/create-position.ts";
import { registerReceipt } from "../positions/register-receipt.ts";
import { findPayment } from "./find-payment.ts";
import { tenantsOverview } from "./tenants-overview.ts";

const operator = { type: "staff" as const, id: "operatore.borgo" };
const helpdesk = { type: "staff" as const, id: "helpdesk" };
const DEBTOR = "BNCGLI85M45L736L";

describe("helpdesk: cross-tenant payment search and tenants overview", () => {
  const db = new Database({ url: inject("databaseUrl") });
  let borgo: Tenant;
  let valle: Tenant;
  let paid: CreatedPosition;
  let unpaid: CreatedPosition;
  let receiptId: string;

  beforeAll(async () => {
    borgo = await makeTenant(db, { name: "Comune di Borgo Fiorito" });
    valle = await makeTenant(db, { name: "Comune di Valle Serena" });
    const make = (t: Tenant, subject: string) =>
      createPosition(
        db,
        t,
        {
          debtor: { fiscalCode: DEBTOR, name: "Giulia Bianchi" },
          subject,
          single: {
            amountCents: 5_000,
            dueDate: new Date("2027-02-28T10:00:00Z"),
            transfers: [
              {
                iban: "IT60X0542811101000000123456",
                amountCents: 5_000,
                taxonomyCode: "9/0101002IM/",
                remittanceText: subject,
              },
            ],
          },
        },
        operator,
      );
    paid = await make(borgo, "Diritti di segreteria");
    unpaid = await make(valle, "Trasporto scolastico");
    const o = paid.options[0]!;
    receiptId = `rcpt-helpdesk-${Date.now()}`;
    await registerReceipt(
      db,
      borgo,
      {
        receiptId,
        nav: o.nav,
        noticeFiscalCode: borgo.fiscalCode,
        outcome: "OK",
        creditorReferenceId: o.iuv,
        amountCents: 5_000,
        pspId: "PSPTEST",
        standIn: true,
        transfers: [
          {
            index: 1,
            amountCents: 5_000,
            fiscalCodePA: borgo.fiscalCode,
            iban: "IT60X0542811101000000123456",
            remittanceText: "Diritti",
            category: "9/0101002IM/",
          },
        ],
      },
      async () => undefined,
    );
    await db.withPlatformScope("test: journal rows", (tx) =>
      tx.nodoMessage.createMany({
        data: [
          {
            tenantId: borgo.id,
            direction: "IN",
            operation: "paVerifyPaymentNotice",
            nav: o.nav,
            outcome: "OK",
            durationMs: 12,
          },
          {
            tenantId: borgo.id,
            direction: "IN",
            operation: "paGetPaymentV2",
            nav: o.nav,
            outcome: "KO",
            faultCode: "PAA_PAGAMENTO_IN_CORSO",
            durationMs: 9,
          },
        ],
      }),
    );
  });
  afterAll(() => db.close());

  it("finds a payment by NAV, IUV or receiptId with options, receipts, journal and timeline", async () => {
    const o = paid.options[0]!;
    for (const query of [{ nav: o.nav }, { iuv: o.iuv }, { receiptId }]) {
      // NAVs and IUVs are unique per council, not across them: other test files' councils may
      // hold the same numbers, and the helpdesk sees them all. Ours must be there exactly once.
      const found = await findPayment(db, query, helpdesk);
      const [trace, ...more] = found.filter((t) => [borgo.id, valle.id].includes(t.tenant.id));
      expect(more, JSON.stringify(query)).toEqual([]);
      expect(trace!.tenant).toMatchObject({ id: borgo.id, name: "Comune di Borgo Fiorito" });
      expect(trace!.position).toMatchObject({ id: paid.id, status: "PAID", debtorFiscalCode: DEBTOR });
      expect(trace!.options).toEqual([expect.objectContaining({ nav: o.nav, status: "PAID", amountCents: 5_000 })]);
      expect(trace!.receipts).toEqual([expect.objectContaining({ receiptId, outcome: "OK", standIn: true })]);
      expect(trace!.journal.map((m) => [m.operation, m.faultCode])).toEqual([
        ["paGetPaymentV2", "PAA_PAGAMENTO_IN_CORSO"],
        ["paVerifyPaymentNotice", null],
      ]);
      expect(trace!.timeline.map((e) => e.action)).toContain("position.create");
      // The payment is part of the position's history.
      expect(trace!.timeline).toContainEqual(
        expect.objectContaining({ action: "payment.received", payment: expect.objectContaining({ receiptId }) }),
      );
    }
  });

  it("finds a debtor's positions in every council, and audits each council's data it showed", async () => {
    const traces = await findPayment(db, { fiscalCode: DEBTOR.toLowerCase() }, helpdesk, "req-42");
    const mine = traces.filter((t) => [borgo.id, valle.id].includes(t.tenant.id));
    expect(mine.map((t) => t.position.id).sort()).toEqual([paid.id, unpaid.id].sort());
    const audit = await db.withPlatformScope("test: audit", (tx) =>
      tx.auditLog.findMany({
        where: { action: "helpdesk.read", requestId: "req-42" },
        select: { tenantId: true, entityId: true, actorId: true },
      }),
    );
    expect(audit).toEqual(
      expect.arrayContaining([
        { tenantId: borgo.id, entityId: paid.id, actorId: "helpdesk" },
        { tenantId: valle.id, entityId: unpaid.id, actorId: "helpdesk" },
      ]),
    );
  });

  it("refuses an ambiguous or malformed search", async () => {
    await expect(findPayment(db, {}, helpdesk)).rejects.toThrow("cerca per uno tra");
    await expect(findPayment(db, { nav: "123", iuv: "x" }, helpdesk)).rejects.toThrow();
    await expect(findPayment(db, { fiscalCode: "RSSMRA80A01H501X" }, helpdesk)).rejects.toThrow(
      "codice fiscale non valido",
    );
  });

  it("summarises every council: open positions, payments, faults and the latest ones", async () => {
    const overview = await tenantsOverview(db, helpdesk, new Date());
    const b = overview.find((t) => t.id === borgo.id)!;
    const v = overview.find((t) => t.id === valle.id)!;
    expect(b).toMatchObject({ openPositions: 0, payments: 1, paidCents: 5_000, faults: 1 });
    expect(b.lastFaults).toEqual([
      expect.objectContaining({ operation: "paGetPaymentV2", faultCode: "PAA_PAGAMENTO_IN_CORSO" }),
    ]);
    expect(v).toMatchObject({ openPositions: 1, payments: 0, faults: 0, lastFaults: [] });
  });
});
