import { afterAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { Database } from "../platform/db/database.ts";
import { applyPlatformPack } from "./apply-platform-pack.ts";
import { applyDemoPack } from "../test/demo-pack.ts";
import { demoPack } from "../../tenants/demo/pack.ts";
import { isValidNav } from "../pagopa/index.ts";

describe("applying the demo pack", () => {
  const db = new Database({ url: inject("databaseUrl") });
  afterAll(() => db.close());
  const actor = { type: "system" as const, id: "test" };

  it("creates the demo platform, and a second run changes nothing", async () => {
    const first = await applyDemoPack(db, "test"); // retries only a race with another file's first application
    expect(first.tenants).toBe(3);
    const inPack = demoPack().tenants.reduce((n, t) => n + (t.positions?.length ?? 0), 0);
    expect(inPack).toBeGreaterThanOrEqual(4);
    // Another test file may have applied the pack already (the realm's demo service account
    // belongs to its council): then the first run here keeps what that one created.
    expect(first.positionsCreated + first.positionsKept).toBe(inPack);
    const second = await applyPlatformPack(db, demoPack(), actor);
    expect(second.positionsCreated).toBe(0);
    expect(second.positionsKept).toBe(inPack);

    // Segregation codes are unique per intermediary (other test files add their own tenants).
    const tenants = await db.client.tenant.findMany({
      where: { intermediary: { fiscalCode: demoPack().intermediary.fiscalCode } },
      orderBy: { segregationCode: "asc" },
    });
    expect(new Set(tenants.map((t) => t.segregationCode)).size).toBe(tenants.length);
    const borgo = tenants.find((t) => t.ipaCode === "c_x001")!;
    const tari = await db.withTenant(borgo.id, (tx) =>
      tx.debtPosition.findUnique({
        where: { tenantId_externalId: { tenantId: borgo.id, externalId: "TARI-2026-0001" } },
        include: { options: { include: { transfers: true }, orderBy: { nav: "asc" } } },
      }),
    );
    expect(tari!.options).toHaveLength(4);
    for (const option of tari!.options) {
      expect(isValidNav(option.nav)).toBe(true);
      expect(option.nav.slice(1, 3)).toBe("01");
      expect(option.transfers.reduce((s, t) => s + t.amountCents, 0)).toBe(option.amountCents);
      expect(option.transfers.map((t) => t.beneficiaryFiscalCode)).toEqual(["00345670210", "00987654324"]);
    }
    const installments = tari!.options.filter((o) => o.kind === "INSTALLMENT");
    expect(installments.map((o) => `${o.installmentNumber}/${o.installmentCount}`).sort()).toEqual([
      "1/3",
      "2/3",
      "3/3",
    ]);
  });

  it("refuses a pack with a bad IBAN, naming it", async () => {
    const pack = demoPack();
    pack.tenants[0]!.accounts[0]!.iban = "IT68D0306912345100000012346";
    await expect(applyPlatformPack(db, pack, actor)).rejects.toThrow(/iban/i);
  });
});
