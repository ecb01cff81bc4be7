import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { Database } from "../platform/db/database.ts";
import { makeTenant } from "../test/factories.ts";
import { createPosition } from "./create-position.ts";
import type { Tenant } from "../generated/prisma/client.ts";

const actor = { type: "staff" as const, id: "operator-1" };
const transfer = (amountCents: number) => ({
  iban: "IT60X0542811101000000123456",
  amountCents,
  taxonomyCode: "9/0101002IM/",
  remittanceText: "Tributo",
});
const base = { debtor: { fiscalCode: "rssmra80a01h501u", name: "Mario Rossi" }, subject: "Tributo 2026" };

describe("createPosition", () => {
  const db = new Database({ url: inject("databaseUrl") });
  let tenant: Tenant;
  beforeAll(async () => {
    tenant = await makeTenant(db);
  });
  afterAll(() => db.close());

  it("creates a single option and installments, each with its own NAV, and audits it", async () => {
    const created = await createPosition(
      db,
      tenant,
      {
        ...base,
        externalId: "ext-1",
        single: {
          amountCents: 30_000,
          dueDate: new Date("2027-01-31"),
          transfers: [transfer(20_000), transfer(10_000)],
        },
        installments: [1, 2].map((n) => ({
          amountCents: 15_000,
          dueDate: new Date(`2027-0${n}-28`),
          transfers: [transfer(15_000)],
        })),
      },
      actor,
    );
    expect(created.status).toBe("VALID");
    expect(created.options).toHaveLength(3);
    expect(new Set(created.options.map((o) => o.nav)).size).toBe(3);
    const stored = await db.withTenant(tenant.id, (tx) =>
      tx.debtPosition.findUniqueOrThrow({
        where: { id: created.id },
        include: { options: { include: { transfers: true } } },
      }),
    );
    expect(stored.debtorFiscalCode).toBe("RSSMRA80A01H501U");
    expect(stored.options.find((o) => o.kind === "SINGLE")!.transfers).toHaveLength(2);
    expect(stored.options.filter((o) => o.kind === "INSTALLMENT").every((o) => o.installmentCount === 2)).toBe(true);
    const audit = await db.withTenant(tenant.id, (tx) => tx.auditLog.findMany({ where: { entityId: created.id } }));
    expect(audit).toMatchObject([{ action: "position.create", actorId: "operator-1" }]);
  });

  it("refuses the same externalId twice and keeps the first", async () => {
    const input = {
      ...base,
      externalId: "ext-dup",
      single: { amountCents: 100, dueDate: new Date("2027-01-31"), transfers: [transfer(100)] },
    };
    await createPosition(db, tenant, input, actor);
    await expect(createPosition(db, tenant, input, actor)).rejects.toMatchObject({ code: "POSITION_DUPLICATE" });
    const count = await db.withTenant(tenant.id, (tx) => tx.debtPosition.count({ where: { externalId: "ext-dup" } }));
    expect(count).toBe(1);
  });

  it("refuses transfers that do not add up, bad IBANs and more than five transfers", async () => {
    const due = new Date("2027-01-31");
    await expect(
      createPosition(
        db,
        tenant,
        { ...base, single: { amountCents: 100, dueDate: due, transfers: [transfer(99)] } },
        actor,
      ),
    ).rejects.toThrow(/somma/);
    await expect(
      createPosition(
        db,
        tenant,
        {
          ...base,
          single: {
            amountCents: 100,
            dueDate: due,
            transfers: [{ ...transfer(100), iban: "IT60X0542811101000000123457" }],
          },
        },
        actor,
      ),
    ).rejects.toThrow(/IBAN/);
    await expect(
      createPosition(
        db,
        tenant,
        {
          ...base,
          single: { amountCents: 600, dueDate: due, transfers: Array.from({ length: 6 }, () => transfer(100)) },
        },
        actor,
      ),
    ).rejects.toThrow();
  });

  it("rolls back everything when a write fails half-way", async () => {
    const before = await db.withTenant(tenant.id, (tx) => tx.paymentOption.count());
    await expect(
      createPosition(
        db,
        tenant,
        {
          ...base,
          paymentTypeCode: "NOPE",
          single: { amountCents: 100, dueDate: new Date(), transfers: [transfer(100)] },
        },
        actor,
      ),
    ).rejects.toMatchObject({ code: "PAYMENT_TYPE_UNKNOWN" });
    expect(await db.withTenant(tenant.id, (tx) => tx.paymentOption.count())).toBe(before);
  });
});

describe("createPosition: accounting split", () => {
  const db = new Database({ url: inject("databaseUrl") });
  let tenant: Tenant;
  beforeAll(async () => {
    tenant = await makeTenant(db);
    await db.withTenant(tenant.id, (tx) =>
      tx.paymentType.create({
        data: {
          tenantId: tenant.id,
          code: "TARI",
          name: "TARI",
          taxonomyCode: "9/0101002IM/",
          accountingChapter: "1010",
          defaultAssessment: "2027/7",
        },
      }),
    );
  });
  afterAll(() => db.close());

  it("takes chapter and assessment from the caller, else from the payment type; lines must add up", async () => {
    const created = await createPosition(
      db,
      tenant,
      {
        ...base,
        paymentTypeCode: "TARI",
        single: {
          amountCents: 10_000,
          dueDate: new Date("2027-01-31"),
          transfers: [
            { ...transfer(6_000), budgetChapter: "2020", assessment: "A-9" },
            transfer(1_000),
            {
              ...transfer(3_000),
              accountingLines: [
                { budgetChapter: "3030", assessment: "B1", amountCents: 2_000 },
                { budgetChapter: "3031", amountCents: 1_000 },
              ],
            },
          ],
        },
      },
      actor,
    );
    const transfers = await db.withTenant(tenant.id, (tx) =>
      tx.transfer.findMany({ where: { optionId: created.options[0]!.id }, orderBy: { index: "asc" } }),
    );
    expect(transfers.map((t) => [t.budgetChapter, t.assessment])).toEqual([
      ["2020", "A-9"],
      ["1010", "2027/7"],
      ["1010", "2027/7"],
    ]);
    expect(transfers[2]!.accountingLines).toEqual([
      { budgetChapter: "3030", assessment: "B1", amountCents: 2_000 },
      { budgetChapter: "3031", amountCents: 1_000 },
    ]);
    await expect(
      createPosition(
        db,
        tenant,
        {
          ...base,
          single: {
            amountCents: 100,
            dueDate: new Date("2027-01-31"),
            transfers: [{ ...transfer(100), accountingLines: [{ budgetChapter: "1", amountCents: 90 }] }],
          },
        },
        actor,
      ),
    ).rejects.toThrow(/voci di bilancio/);
  });
});
