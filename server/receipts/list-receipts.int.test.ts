import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Database } from "../platform/db/database.ts";
import { createPosition } from "../positions/create-position.ts";
import { registerReceipt } from "../positions/register-receipt.ts";
import { makeTenant } from "../test/factories.ts";
import type { Tenant } from "../generated/prisma/client.ts";
import { listReceipts } from "./list-receipts.ts";

const actor = { type: "staff" as const, id: "list-receipts-test" };

describe("the council's payments list", () => {
  const db = new Database({ url: inject("databaseUrl") });
  let council: Tenant;
  afterAll(() => db.close());
  beforeAll(async () => {
    council = await makeTenant(db, { name: "Comune di Borgo Fiorito" });
  });

  async function paid(receivedAt: Date, extra: { paymentMethod?: string } = {}) {
    const position = await createPosition(
      db,
      council,
      {
        debtor: { fiscalCode: "RSSMRA80A01H501U", name: "Mario Rossi" },
        subject: "Mensa",
        single: {
          amountCents: 1_000,
          dueDate: new Date("2027-12-31T10:00:00Z"),
          transfers: [
            {
              iban: "IT60X0542811101000000123456",
              amountCents: 1_000,
              taxonomyCode: "9/0101002IM/",
              remittanceText: "Mensa",
            },
          ],
        },
      },
      actor,
    );
    const option = position.options[0]!;
    const stored = await registerReceipt(
      db,
      council,
      {
        receiptId: `rl-${option.nav}`,
        nav: option.nav,
        noticeFiscalCode: council.fiscalCode,
        outcome: "OK",
        creditorReferenceId: option.iuv,
        amountCents: 1_000,
        feeCents: 100,
        pspId: "PSPTEST",
        standIn: false,
        paymentMethod: extra.paymentMethod ?? "creditCard",
        paymentDateTime: receivedAt,
        transfers: [
          {
            index: 1,
            amountCents: 1_000,
            fiscalCodePA: council.fiscalCode,
            iban: "IT60X0542811101000000123456",
            remittanceText: "Mensa",
            category: "9/0101002IM/",
          },
        ],
      },
      async () => undefined,
    );
    await db.withTenant(council.id, (tx) => tx.receipt.update({ where: { id: stored.id }, data: { receivedAt } }));
    return option.nav;
  }

  it("filters by Italian calendar days, across the DST changes", async () => {
    // 00:30 in Rome on 2 December is 23:30 UTC on 1 December; 00:30 on 26 October (CET) is 23:30 UTC on the 25th.
    const early = await paid(new Date("2026-12-01T23:30:00Z"));
    const late = await paid(new Date("2026-12-02T22:30:00Z")); // 23:30 in Rome, still 2 December
    const october = await paid(new Date("2026-10-25T23:30:00Z"));
    const march = await paid(new Date("2026-03-28T23:15:00Z")); // 00:15 on 29 March, the 23-hour day
    const navs = async (from: string, to: string) =>
      (await listReceipts(db, council.id, { from, to })).rows.map((r) => r.nav).sort();
    expect(await navs("2026-12-02", "2026-12-02")).toEqual([early, late].sort());
    expect(await navs("2026-12-01", "2026-12-01")).toEqual([]);
    expect(await navs("2026-10-26", "2026-10-26")).toEqual([october]);
    expect(await navs("2026-10-25", "2026-10-25")).toEqual([]);
    expect(await navs("2026-03-29", "2026-03-29")).toEqual([march]);
    await expect(listReceipts(db, council.id, { from: "2026-02-30" })).rejects.toThrow();
  });

  it("names the payment method in Italian and counts a cart's fee on its first notice only", async () => {
    const first = await paid(new Date("2026-11-10T10:00:00Z"), { paymentMethod: "CP" });
    const cart = {
      id: "cart-1",
      notices: [
        { fiscalCode: council.fiscalCode, nav: first, companyName: council.name },
        { fiscalCode: "00000000002", nav: "301000000000000022", companyName: "Comune di Valle" },
      ],
    };
    await db.withTenant(council.id, (tx) => tx.receipt.updateMany({ where: { nav: first }, data: { cart } }));
    const second = await paid(new Date("2026-11-10T10:00:00Z"));
    await db.withTenant(council.id, (tx) =>
      tx.receipt.updateMany({
        where: { nav: second },
        data: {
          cart: {
            id: "cart-2",
            notices: [
              { fiscalCode: "00000000002", nav: "301000000000000022", companyName: "Comune di Valle" },
              { fiscalCode: council.fiscalCode, nav: second, companyName: council.name },
            ],
          },
        },
      }),
    );
    const rows = (await listReceipts(db, council.id, { from: "2026-11-10", to: "2026-11-10" })).rows;
    const byNav = new Map(rows.map((r) => [r.nav, r]));
    expect(byNav.get(first)).toMatchObject({ paymentMethod: "Carta di pagamento", feeCents: 100, feeElsewhere: false });
    expect(byNav.get(second)).toMatchObject({
      paymentMethod: "Carta di pagamento",
      feeCents: null,
      feeElsewhere: true,
    });
  });
});
