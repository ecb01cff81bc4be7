import { afterAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { Database } from "../platform/db/database.ts";
import { makeTenant } from "../test/factories.ts";
import { createPosition } from "./create-position.ts";
import { findNotice, noticeInclude } from "./payable-notice.repository.ts";

describe("findNotice", () => {
  const db = new Database({ url: inject("databaseUrl") });
  afterAll(() => db.close());

  it("returns exactly what the ORM include returns, in one statement", async () => {
    const tenant = await makeTenant(db);
    await db.withTenant(tenant.id, (tx) =>
      tx.paymentType.create({
        data: {
          tenantId: tenant.id,
          code: "CDS",
          name: "Multe",
          taxonomyCode: "9/0102106SA/",
          amountRule: { kind: "plugin", plugin: "traffic-fine-early-discount", params: {} },
        },
      }),
    );
    const transfer = (amountCents: number, i: number) => ({
      iban: "IT60X0542811101000000123456",
      amountCents,
      taxonomyCode: "9/0102106SA/",
      remittanceText: `Quota ${i}`,
      metadata: [{ key: "k", value: `v${i}` }],
    });
    const created = await createPosition(
      db,
      tenant,
      {
        paymentTypeCode: "CDS",
        debtor: { fiscalCode: "RSSMRA80A01H501U", name: "Mario Rossi", email: "m@example.org" },
        subject: "Verbale",
        data: { notifiedAt: "2026-11-20T10:00:00Z", plate: "AB123CD" },
        single: {
          amountCents: 3000,
          dueDate: new Date("2027-01-31T23:00:00Z"),
          expiresAt: new Date("2027-03-01T00:00:00Z"),
          transfers: [transfer(2000, 1), transfer(1000, 2)],
        },
        installments: [1, 2].map((n) => ({
          amountCents: 1500,
          dueDate: new Date(`2027-0${n}-15T00:00:00Z`),
          transfers: [transfer(1500, n)],
        })),
      },
      { type: "system", id: "test" },
    );
    await db.withTenant(tenant.id, (tx) =>
      tx.paymentOption.update({
        where: { id: created.options[1]!.id },
        data: { paymentToken: "tok", lockedUntil: new Date("2027-01-01T10:00:00.123Z") },
      }),
    );

    for (const option of created.options) {
      const [raw, orm] = await db.withTenant(tenant.id, async (tx) => [
        await findNotice(tx, tenant.id, option.nav),
        await tx.paymentOption.findFirst({ where: { tenantId: tenant.id, nav: option.nav }, include: noticeInclude }),
      ]);
      // Options of the position come in no particular order from either read.
      const sortOptions = (n: typeof raw) => ({
        ...n!,
        position: { ...n!.position, options: [...n!.position.options].sort((a, b) => a.id.localeCompare(b.id)) },
      });
      expect(sortOptions(raw)).toEqual(sortOptions(orm));
      // The station's pg path (named prepared statement) returns the same shape too.
      const fast = await db.sql.withTenant(tenant.id, (tx) => findNotice(tx, tenant.id, option.nav));
      expect(sortOptions(fast)).toEqual(sortOptions(orm));
    }
    expect(await db.withTenant(tenant.id, (tx) => findNotice(tx, tenant.id, "301999999999999999"))).toBeNull();
    expect(await db.sql.withTenant(tenant.id, (tx) => findNotice(tx, tenant.id, "301999999999999999"))).toBeNull();
  });
});
