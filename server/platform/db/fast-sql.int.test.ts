import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { Database } from "./database.ts";
import type { Statement } from "./fast-sql.ts";
import { makeTenant } from "../../test/factories.ts";
import { createPosition, verifyPaymentNotice } from "../../positions/index.ts";
import type { Tenant } from "../../generated/prisma/client.ts";
import { AmountRules } from "../../catalog/index.ts";

const system = { type: "system" as const, id: "test" };
const option = (amountCents: number) => ({
  amountCents,
  dueDate: new Date("2027-01-31T23:00:00Z"),
  transfers: [
    { iban: "IT60X0542811101000000123456", amountCents, taxonomyCode: "9/0101002IM/", remittanceText: "Diritti" },
  ],
});

const q = (name: string, text: string): Statement => ({ name: `test.fast_sql.${name}`, text });
const ROLE = q("role", "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user");
const POSITIONS = q("positions", "SELECT tenant_id FROM debt_positions");
const OPTIONS_OF = q("options_of", "SELECT count(*)::int AS n FROM payment_options WHERE tenant_id = $1::uuid");
const NAV_OF = q("nav_of", "SELECT o.nav FROM payment_options o WHERE o.tenant_id = $1::uuid");
const SETTINGS = q(
  "settings",
  "SELECT current_setting('app.tenant_id', true) AS tenant, current_setting('app.scope', true) AS scope",
);
const FORGE = q(
  "forge",
  "INSERT INTO debt_positions (id, tenant_id, iupd, debtor_fiscal_code, debtor_name, subject, updated_at) VALUES (gen_random_uuid(), $1::uuid, 'forged-fast', 'RSSMRA85T10A562S', 'X', 'forged', now())",
);
const ECHO = q(
  "echo",
  "SELECT $1::text AS text, $2::int AS n, $3::timestamptz AS at, $4::jsonb AS doc, $5::boolean AS flag",
);
const RENAME_ALL = q("rename_all", "UPDATE debt_positions SET subject = $1 RETURNING tenant_id");

// The station's pg hot path (Database.sql) must keep every guarantee of Database.withTenant.
describe("fast SQL path: row-level security", () => {
  // One connection: a setting leaking from one unit of work would show in the next.
  const db = new Database({ url: inject("databaseUrl"), poolSize: 1 });
  let a: Tenant;
  let b: Tenant;
  const navs = new Map<string, string>();

  beforeAll(async () => {
    a = await makeTenant(db);
    b = await makeTenant(db);
    for (const t of [a, b]) {
      const created = await createPosition(
        db,
        t,
        {
          debtor: { fiscalCode: "RSSMRA85T10A562S", name: "Mario Rossi" },
          subject: `Debito ${t.name}`,
          single: option(1500),
        },
        system,
      );
      navs.set(t.id, created.options[0]!.nav);
    }
  });
  afterAll(() => db.close());

  it("connects as the same role as Prisma, one that RLS applies to", async () => {
    expect(await db.sql.query(ROLE, [])).toEqual([{ rolsuper: false, rolbypassrls: false }]);
  });

  it("shows a tenant's unit of work only that tenant's rows, with no tenant filter at all", async () => {
    const seen = await db.sql.withTenant(a.id, (tx) => tx.query<{ tenant_id: string }>(POSITIONS, []));
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((r) => r.tenant_id === a.id)).toBe(true);
    const [other] = await db.sql.withTenant(a.id, (tx) => tx.query<{ n: number }>(OPTIONS_OF, [b.id]));
    expect(other!.n).toBe(0);
    // The Nodo read through the fast path: B's notice does not exist for A, even asked by id.
    expect(await db.sql.withTenant(a.id, (tx) => tx.query(NAV_OF, [b.id]))).toEqual([]);
    await expect(
      verifyPaymentNotice(
        db,
        new AmountRules(),
        { id: a.id, fiscalCode: a.fiscalCode, name: a.name, sector: null },
        navs.get(b.id)!,
      ),
    ).rejects.toMatchObject({ code: "NOTICE_UNKNOWN" });
    const view = await verifyPaymentNotice(
      db,
      new AmountRules(),
      { id: a.id, fiscalCode: a.fiscalCode, name: a.name, sector: null },
      navs.get(a.id)!,
    );
    expect(view).toMatchObject({ nav: navs.get(a.id), amountCents: 1500 });
  });

  it("refuses writes carrying another tenant's id, and changes nothing of another tenant", async () => {
    await expect(db.sql.withTenant(a.id, (tx) => tx.query(FORGE, [b.id]))).rejects.toThrow(/row-level security/);
    const touched = await db.sql.withTenant(a.id, (tx) =>
      tx.query<{ tenant_id: string }>(RENAME_ALL, ["changed by fast A"]),
    );
    expect(touched.length).toBeGreaterThan(0);
    expect(touched.every((r) => r.tenant_id === a.id)).toBe(true);
    const bSubjects = await db.withTenant(b.id, (tx) => tx.debtPosition.findMany({ select: { subject: true } }));
    expect(bSubjects.map((p) => p.subject)).not.toContain("changed by fast A");
  });

  it("fails closed outside any scope, and leaves no setting behind on the connection", async () => {
    expect(await db.sql.query(POSITIONS, [])).toEqual([]);
    await expect(db.sql.query(FORGE, [a.id])).rejects.toThrow(/row-level security/);
    await db.sql.withTenant(a.id, (tx) => tx.query(POSITIONS, []));
    await expect(
      db.sql.withTenant(a.id, async (tx) => {
        await tx.query(POSITIONS, []);
        throw new Error("the unit of work fails");
      }),
    ).rejects.toThrow("the unit of work fails");
    await db.sql.withPlatformScope("test: cross-tenant read", (tx) => tx.query(POSITIONS, []));
    const [settings] = await db.sql.query<{ tenant: string | null; scope: string | null }>(SETTINGS, []);
    expect(settings!.tenant || null).toBeNull();
    expect(settings!.scope || null).toBeNull();
    expect(await db.sql.query(POSITIONS, [])).toEqual([]);
  });

  it("rolls back the whole unit of work when it fails", async () => {
    await expect(
      db.sql.withTenant(a.id, async (tx) => {
        await tx.query(RENAME_ALL, ["rolled back"]);
        throw new Error("after the write");
      }),
    ).rejects.toThrow("after the write");
    const subjects = await db.withTenant(a.id, (tx) => tx.debtPosition.findMany({ select: { subject: true } }));
    expect(subjects.every((p) => p.subject === "changed by fast A")).toBe(true);
    const kept = await db.sql.withTenant(a.id, (tx) => tx.query(POSITIONS, []));
    expect(kept.length).toBe(subjects.length);
  });

  it("sees every tenant only in an explicit platform scope", async () => {
    const rows = await db.sql.withPlatformScope("test: cross-tenant read", (tx) =>
      tx.query<{ tenant_id: string }>(POSITIONS, []),
    );
    const tenants = new Set(rows.map((r) => r.tenant_id));
    expect(tenants.has(a.id) && tenants.has(b.id)).toBe(true);
  });

  it("reads in one tenant's scope in one message, and the settings end with it", async () => {
    const [positions, settings] = await db.sql.readAsTenant(a.id, [
      [POSITIONS, []],
      [SETTINGS, []],
    ]);
    expect(positions!.length).toBeGreaterThan(0);
    expect(positions!.every((r) => r.tenant_id === a.id)).toBe(true);
    expect(settings![0]!.tenant).toBe(a.id);
    expect(settings![0]!.scope || null).toBeNull();
    const [after] = await db.sql.query<{ tenant: string | null }>(SETTINGS, []);
    expect(after!.tenant || null).toBeNull();
    await expect(db.sql.readAsTenant("not-a-uuid", [[POSITIONS, []]])).rejects.toMatchObject({
      code: "TENANT_ID_INVALID",
    });
  });

  it("sends reads asked for in the same turn as one message, each in its own tenant's scope", async () => {
    const BACKEND = q("backend", "SELECT pg_backend_pid() AS pid, current_setting('app.tenant_id', true) AS tenant");
    const db2 = new Database({ url: inject("databaseUrl"), poolSize: 4 });
    try {
      const order = [a, b, b, a]; // a message holds up to four reads
      const reads = await Promise.all(
        order.map((t) =>
          db2.sql.readAsTenant(t.id, [
            [POSITIONS, []],
            [BACKEND, []],
          ]),
        ),
      );
      reads.forEach(([positions, backend], i) => {
        expect(positions!.length).toBeGreaterThan(0);
        expect(positions!.every((r) => r.tenant_id === order[i]!.id)).toBe(true);
        expect(backend![0]!.tenant).toBe(order[i]!.id);
      });
      // Four free connections, yet one backend answered all four: they went as one message.
      expect(new Set(reads.map(([, backend]) => backend![0]!.pid)).size).toBe(1);
      const [after] = await db2.sql.query<{ tenant: string | null }>(SETTINGS, []);
      expect(after!.tenant || null).toBeNull();
      // A statement that fails fails its whole message, and every read in it.
      const BROKEN = q("broken", "SELECT 1 / (random() * 0)::int AS x");
      const outcomes = await Promise.allSettled([
        db2.sql.readAsTenant(a.id, [[POSITIONS, []]]),
        db2.sql.readAsTenant(b.id, [[BROKEN, []]]),
      ]);
      expect(outcomes.map((o) => o.status)).toEqual(["rejected", "rejected"]);
      expect((await db2.sql.readAsTenant(a.id, [[POSITIONS, []]]))[0]!.length).toBeGreaterThan(0);
    } finally {
      await db2.close();
    }
  });

  it("passes values as literals that no quote or backslash can break out of", async () => {
    const hostile = `x'); SELECT set_config('app.scope', 'platform', false); --\\' \\`;
    const at = new Date("2027-01-01T10:00:00.123Z");
    const [row] = await db.sql.query(ECHO, [hostile, 42, at, { k: "it's" }, true]);
    expect(row).toEqual({ text: hostile, n: 42, at, doc: { k: "it's" }, flag: true });
    const [settings] = await db.sql.query<{ scope: string | null }>(SETTINGS, []);
    expect(settings!.scope || null).toBeNull();
    await expect(db.sql.query(ECHO, [Number.NaN, 1, at, {}, true])).rejects.toMatchObject({
      code: "SQL_VALUE_INVALID",
    });
  });

  it("rejects a malformed tenant id or scope reason before touching the database", async () => {
    await expect(db.sql.withTenant("' OR 1=1 --", async () => 1)).rejects.toMatchObject({ code: "TENANT_ID_INVALID" });
    await expect(
      db.sql.withTenant(`${a.id}', true), set_config('app.scope', 'platform`, async () => 1),
    ).rejects.toMatchObject({ code: "TENANT_ID_INVALID" });
    await expect(db.sql.withPlatformScope("x'); SELECT 1; --", async () => 1)).rejects.toMatchObject({
      code: "PLATFORM_SCOPE_REASON",
    });
  });
});
