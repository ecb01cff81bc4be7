import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Database } from "../platform/db/database.ts";
import { makeTenant } from "../test/factories.ts";
import type { Tenant } from "../generated/prisma/client.ts";
import { createPosition } from "./create-position.ts";
import { registerReceipt } from "./register-receipt.ts";
import { listCitizenPositions } from "./list-citizen-positions.ts";
import { citizenTenantStatuses } from "../tenancy/citizen-visibility.ts";

const actor = { type: "staff" as const, id: "my-positions-test" };
const CITIZEN = "BNCGLI85M45L736L";
const OTHER = "RSSMRA80A01H501U";
const option = (amountCents: number, month: number) => ({
  amountCents,
  dueDate: new Date(Date.UTC(2027, month, 10, 10)),
  transfers: [
    { iban: "IT60X0542811101000000123456", amountCents, taxonomyCode: "9/0101002IM/", remittanceText: "Test" },
  ],
});

describe("listCitizenPositions (my positions across councils)", () => {
  const db = new Database({ url: inject("databaseUrl") });
  let borgo: Tenant;
  let valle: Tenant;
  let testOnly: Tenant;
  let portale: Tenant;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    borgo = await makeTenant(db, { name: "Comune di Borgo Fiorito" });
    valle = await makeTenant(db, { name: "Comune di Valle Serena" });
    portale = await makeTenant(db, { name: "Comune di Monte Portale" });
    testOnly = await makeTenant(db, { name: "Istituto in collaudo", status: "TEST" } as Partial<Tenant>);
    const make = async (t: Tenant, key: string, debtor: string, input: object, publish = true) => {
      const created = await createPosition(
        db,
        t,
        { debtor: { fiscalCode: debtor, name: "Giulia Bianchi" }, subject: key, publish, ...input },
        actor,
      );
      ids[key] = created.id;
      return created;
    };
    await make(borgo, "TARI 2027", CITIZEN, {
      single: option(30_000, 1),
      installments: [option(10_000, 1), option(10_000, 3), option(10_000, 5)],
    });
    const mensa = await make(valle, "Mensa gennaio", CITIZEN, { single: option(8_640, 0) });
    await make(valle, "Di un altro", OTHER, { single: option(1_000, 0) });
    await make(borgo, "Bozza", CITIZEN, { single: option(1_000, 0) }, false);
    const cancelled = await make(borgo, "Annullata", CITIZEN, { single: option(1_000, 0) });
    await db.withTenant(borgo.id, (tx) =>
      tx.debtPosition.update({ where: { id: cancelled.id }, data: { status: "CANCELLED" } }),
    );
    await make(testOnly, "Solo in collaudo", CITIZEN, { single: option(1_000, 0) });
    // Made on the portal: by someone anonymous who typed the citizen's code, by the citizen logged in, by another citizen logged in.
    await make(portale, "Portale anonimo", CITIZEN, { single: option(1_600, 0), origin: "PORTAL" });
    await make(portale, "Portale con SPID", CITIZEN, {
      single: option(1_600, 0),
      origin: "PORTAL",
      portalCitizenFiscalCode: CITIZEN,
    });
    await make(portale, "Portale di altri", CITIZEN, {
      single: option(1_600, 0),
      origin: "PORTAL",
      portalCitizenFiscalCode: OTHER,
    });
    // The canteen is paid: it leaves the open list and shows in the history with its receipt.
    const o = mensa.options[0]!;
    await registerReceipt(
      db,
      valle,
      {
        receiptId: `rcpt-my-${Date.now()}`,
        nav: o.nav,
        noticeFiscalCode: valle.fiscalCode,
        outcome: "OK",
        creditorReferenceId: o.iuv,
        amountCents: 8_640,
        pspId: "PSPTEST",
        standIn: false,
        paymentDateTime: new Date("2027-01-05T09:00:00Z"),
        transfers: [
          {
            index: 1,
            amountCents: 8_640,
            fiscalCodePA: valle.fiscalCode,
            iban: "IT60X0542811101000000123456",
            remittanceText: "Mensa",
            category: "9/0101002IM/",
          },
        ],
      },
      async () => undefined,
    );
  });
  afterAll(() => db.close());

  it("lists the open debts of the fiscal code in every live council, with their payable options", async () => {
    const mine = await listCitizenPositions(db, CITIZEN);
    const open = mine.open.filter((p) => [borgo.id, valle.id, testOnly.id].includes(p.tenantId));
    expect(open.map((p) => p.subject)).toEqual(["TARI 2027"]);
    expect(open[0]).toMatchObject({
      council: "Comune di Borgo Fiorito",
      creditorFiscalCode: borgo.fiscalCode,
      positionId: ids["TARI 2027"],
    });
    expect(open[0]!.options.map((o) => [o.amountCents, o.installmentNumber])).toEqual([
      [30_000, null],
      [10_000, 1],
      [10_000, 2],
      [10_000, 3],
    ]);
  });

  it("lists a position made on the portal only to the SPID citizen who made it, never one made anonymously (issue 13 item 3)", async () => {
    const mine = await listCitizenPositions(db, CITIZEN);
    expect(mine.open.filter((p) => p.tenantId === portale.id).map((p) => p.subject)).toEqual(["Portale con SPID"]);
    const theirs = await listCitizenPositions(db, OTHER);
    expect(theirs.open.filter((p) => p.subject.startsWith("Portale"))).toEqual([]);
  });

  it("lists the payments with their receipt links, and nobody else's", async () => {
    const mine = await listCitizenPositions(db, CITIZEN);
    const paid = mine.paid.filter((p) => p.tenantId === valle.id);
    expect(paid).toEqual([
      expect.objectContaining({
        subject: "Mensa gennaio",
        amountCents: 8_640,
        paidAt: new Date("2027-01-05T09:00:00Z"),
      }),
    ]);
    expect(paid[0]!.accessToken).toMatch(/^[\w-]{40,}$/);
    const theirs = await listCitizenPositions(db, OTHER);
    expect(theirs.open.filter((p) => p.tenantId === valle.id).map((p) => p.subject)).toEqual(["Di un altro"]);
    expect(theirs.paid.filter((p) => p.tenantId === valle.id)).toEqual([]);
  });

  it("shows a council in collaudo exactly where the portal lists and pays it: not in production, yes on a test platform", async () => {
    const subjects = async (production: boolean) =>
      (await listCitizenPositions(db, CITIZEN, new Date(), 100, citizenTenantStatuses(production))).open
        .filter((p) => [borgo.id, testOnly.id].includes(p.tenantId))
        .map((p) => p.subject)
        .sort();
    expect(await subjects(true)).toEqual(["TARI 2027"]);
    expect(await subjects(false)).toEqual(["Solo in collaudo", "TARI 2027"]);
  });
});
