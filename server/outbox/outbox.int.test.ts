import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDeps } from "../test/support.ts";
import { makeTenant } from "../test/factories.ts";
import { cancelPosition, createPosition, expireOverdueOptionsJob, registerReceipt } from "../positions/index.ts";
import type { Tenant } from "../generated/prisma/client.ts";

const actor = { type: "system" as const, id: "test" };
const transfer = {
  iban: "IT60X0542811101000000123456",
  amountCents: 700,
  taxonomyCode: "9/0101002IM/",
  remittanceText: "x",
};
const input = (extra: object = {}) => ({
  debtor: { fiscalCode: "RSSMRA80A01H501U", name: "Mario Rossi" },
  subject: "Outbox",
  single: { amountCents: 700, dueDate: new Date("2027-05-01"), transfers: [transfer], ...extra },
});

describe("the outbox", () => {
  const deps = testDeps();
  let tenant: Tenant;
  beforeAll(async () => {
    tenant = await makeTenant(deps.db);
  });
  afterAll(() => deps.close());

  const eventsOf = (positionId: string) =>
    deps.db.withTenant(tenant.id, (tx) => tx.outboxEvent.findMany({ where: { positionId }, orderBy: { id: "asc" } }));

  it("writes position.created with the position, and nothing when the transaction rolls back", async () => {
    const created = await createPosition(deps.db, tenant, { ...input(), externalId: "ob-1" }, actor);
    const [event] = await eventsOf(created.id);
    expect(event).toMatchObject({ type: "position.created", tenantId: tenant.id, relayedAt: null });
    expect(event!.payload).toMatchObject({
      type: "position.created",
      data: {
        positionId: created.id,
        externalId: "ob-1",
        options: [{ nav: created.options[0]!.nav, amountCents: 700 }],
      },
    });

    let rolledBack: string | undefined;
    await expect(
      deps.db.withTenant(tenant.id, async (tx) => {
        rolledBack = (await createPosition(deps.db, tenant, input(), actor, { tx })).id;
        throw new Error("the caller fails after the write");
      }),
    ).rejects.toThrow(/caller fails/);
    expect(rolledBack).toBeDefined();
    expect(await eventsOf(rolledBack!)).toEqual([]);
    const left = await deps.db.withTenant(tenant.id, (tx) => tx.debtPosition.count({ where: { id: rolledBack! } }));
    expect(left).toBe(0);
  });

  it("writes position.cancelled with the cancel", async () => {
    const created = await createPosition(deps.db, tenant, input(), actor);
    await cancelPosition(deps.db, tenant.id, created.id, "errore di emissione", actor);
    expect((await eventsOf(created.id)).map((e) => e.type)).toEqual(["position.created", "position.cancelled"]);
  });

  it("writes position.expired in the expiry job's transaction", async () => {
    const created = await createPosition(
      deps.db,
      tenant,
      input({ expiresAt: new Date("2027-05-31T00:00:00Z") }),
      actor,
    );
    await expireOverdueOptionsJob.handle({ now: "2027-06-01T10:00:00Z" }, deps, undefined as never);
    const events = await eventsOf(created.id);
    expect(events.map((e) => e.type)).toEqual(["position.created", "position.expired"]);
    expect(events[1]!.payload).toMatchObject({ data: { positionId: created.id, status: "EXPIRED" } });
  });

  it("writes position.paid and receipt.stored with the receipt, once for a redelivered receipt", async () => {
    const created = await createPosition(deps.db, tenant, input(), actor);
    const option = created.options[0]!;
    const receipt = {
      receiptId: `ob-${option.nav}`,
      nav: option.nav,
      noticeFiscalCode: tenant.fiscalCode,
      outcome: "OK" as const,
      creditorReferenceId: option.iuv,
      amountCents: 700,
      pspId: "PSPTEST",
      standIn: false,
      transfers: [
        {
          index: 1,
          amountCents: 700,
          fiscalCodePA: tenant.fiscalCode,
          iban: transfer.iban,
          remittanceText: "x",
          category: "9/0101002IM/",
        },
      ],
    };
    await registerReceipt(deps.db, tenant, receipt, async () => undefined);
    await expect(registerReceipt(deps.db, tenant, receipt, async () => undefined)).rejects.toThrow(/already stored/);
    const events = await eventsOf(created.id);
    expect(events.map((e) => e.type)).toEqual(["position.created", "position.paid", "receipt.stored"]);
    expect(events[2]!.payload).toMatchObject({
      data: { receiptId: receipt.receiptId, nav: option.nav, amountCents: 700 },
    });
  });

  it("keeps each council's events to itself (row-level security)", async () => {
    const other = await makeTenant(deps.db);
    await createPosition(deps.db, other, input(), actor);
    const seen = await deps.db.withTenant(tenant.id, (tx) => tx.outboxEvent.findMany());
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((e) => e.tenantId === tenant.id)).toBe(true);
    await expect(deps.db.client.outboxEvent.count()).resolves.toBe(0);
  });
});
