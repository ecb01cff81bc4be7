import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { Database } from "./database.ts";
import { makeTenant } from "../../test/factories.ts";
import { createPosition } from "../../positions/index.ts";
import type { Tenant } from "../../generated/prisma/client.ts";

const system = { type: "system" as const, id: "test" };
const option = (amountCents: number) => ({
  amountCents,
  dueDate: new Date("2027-01-31T23:00:00Z"),
  transfers: [
    { iban: "IT60X0542811101000000123456", amountCents, taxonomyCode: "9/0101002IM/", remittanceText: "Diritti" },
  ],
});

describe("row-level security", () => {
  const db = new Database({ url: inject("databaseUrl") });
  let a: Tenant;
  let b: Tenant;

  beforeAll(async () => {
    a = await makeTenant(db);
    b = await makeTenant(db);
    for (const t of [a, b]) {
      await createPosition(
        db,
        t,
        {
          debtor: { fiscalCode: "RSSMRA85T10A562S", name: "Mario Rossi" },
          subject: `Debito ${t.name}`,
          single: option(1500),
        },
        system,
      );
    }
  });
  afterAll(() => db.close());

  it("connects as a role that RLS applies to", async () => {
    const [role] = await db.client.$queryRaw<Array<{ rolsuper: boolean; rolbypassrls: boolean }>>`
      SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user`;
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false });
  });

  it("shows tenant A's code none of tenant B's rows, with no tenant filter at all", async () => {
    const seen = await db.withTenant(a.id, async (tx) => ({
      positions: await tx.debtPosition.findMany(),
      options: await tx.paymentOption.findMany(),
      transfers: await tx.transfer.findMany(),
      audit: await tx.auditLog.findMany(),
    }));
    for (const rows of Object.values(seen)) {
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((r) => r.tenantId === a.id)).toBe(true);
    }
    const bCount = await db.withTenant(a.id, (tx) => tx.debtPosition.count({ where: { tenantId: b.id } }));
    expect(bCount).toBe(0);
  });

  it("refuses a write carrying another tenant's id", async () => {
    await expect(
      db.withTenant(a.id, (tx) =>
        tx.debtPosition.create({
          data: {
            tenantId: b.id,
            iupd: "forged",
            debtorFiscalCode: "RSSMRA85T10A562S",
            debtorName: "X",
            subject: "forged",
          },
        }),
      ),
    ).rejects.toThrow(/row-level security/);
    const moved = await db.withTenant(a.id, (tx) =>
      tx.debtPosition.updateMany({ where: {}, data: { subject: "changed by A" } }),
    );
    const bSubjects = await db.withTenant(b.id, (tx) => tx.debtPosition.findMany({ select: { subject: true } }));
    expect(moved.count).toBeGreaterThan(0);
    expect(bSubjects.map((p) => p.subject)).not.toContain("changed by A");
  });

  it("refuses to move a row to another tenant", async () => {
    await expect(
      db.withTenant(a.id, (tx) => tx.debtPosition.updateMany({ where: {}, data: { tenantId: b.id } })),
    ).rejects.toThrow(/row-level security/);
  });

  it("fails closed outside any tenant scope", async () => {
    expect(await db.client.debtPosition.count()).toBe(0);
    await expect(
      db.client.debtPosition.create({
        data: { tenantId: a.id, iupd: "no-scope", debtorFiscalCode: "RSSMRA85T10A562S", debtorName: "X", subject: "x" },
      }),
    ).rejects.toThrow(/row-level security/);
  });

  it("sees every tenant only in an explicit platform scope", async () => {
    const tenants = await db.withPlatformScope(
      "test: cross-tenant read",
      async (tx) => new Set((await tx.debtPosition.findMany({ select: { tenantId: true } })).map((p) => p.tenantId)),
    );
    expect(tenants.has(a.id) && tenants.has(b.id)).toBe(true);
  });

  it("keeps the audit log append-only", async () => {
    await expect(
      db.withTenant(a.id, (tx) => tx.auditLog.updateMany({ where: {}, data: { action: "x" } })),
    ).rejects.toThrow();
    await expect(db.withTenant(a.id, (tx) => tx.auditLog.deleteMany({}))).rejects.toThrow();
    const owner = new Database({ url: inject("ownerDatabaseUrl") });
    try {
      await expect(owner.client.$executeRaw`DELETE FROM audit_log`).rejects.toThrow(/append-only/);
    } finally {
      await owner.close();
    }
  });

  it("rejects a malformed tenant id before touching the database", async () => {
    await expect(db.withTenant("' OR 1=1 --", async () => 1)).rejects.toMatchObject({ code: "TENANT_ID_INVALID" });
  });
});
