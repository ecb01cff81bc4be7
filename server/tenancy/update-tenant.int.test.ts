import { afterAll, describe, expect, inject, it } from "vitest";
import { Database } from "../platform/db/database.ts";
import { makeTenant } from "../test/factories.ts";
import type { Tenant } from "../generated/prisma/client.ts";
import { updateTenant } from "./update-tenant.ts";

const actor = { type: "staff" as const, id: "platform-admin" };

describe("a council's status in the registry form", () => {
  const db = new Database({ url: inject("databaseUrl") });
  afterAll(() => db.close());
  const form = (t: Tenant, extra: object = {}) => ({
    name: t.name,
    status: "LIVE" as const,
    segregationCode: t.segregationCode,
    cbill: t.cbill,
    contactEmail: null,
    logoUrl: null,
    ...extra,
  });

  it("never goes live through the registry form: it points to the go-live page; live goes back to test only there", async () => {
    const t = await makeTenant(db, { status: "TEST", name: "Comune in collaudo" } as Partial<Tenant>);
    await expect(updateTenant(db, t.ipaCode, form(t), actor)).rejects.toMatchObject({
      fieldErrors: { status: expect.stringMatching(/usa «Passaggio in esercizio»/) },
    });
    expect((await db.client.tenant.findUniqueOrThrow({ where: { id: t.id } })).status).toBe("TEST");
    const live = await makeTenant(db, { name: "Comune in esercizio" });
    await expect(updateTenant(db, live.ipaCode, form(live, { status: "TEST" }), actor)).rejects.toMatchObject({
      fieldErrors: { status: expect.stringMatching(/usa «Torna in collaudo»/) },
    });
    // Suspending a live council and resuming it (still on its production station) stay here.
    await updateTenant(db, live.ipaCode, form(live, { status: "SUSPENDED" }), actor);
    await updateTenant(db, live.ipaCode, form(live), actor);
    expect((await db.client.tenant.findUniqueOrThrow({ where: { id: live.id } })).status).toBe("LIVE");
  });

  it("does not ask again for a council already live, nor for other changes", async () => {
    const live = await makeTenant(db, { name: "Comune già in esercizio" });
    await expect(
      updateTenant(db, live.ipaCode, form(live, { name: "Comune già in esercizio (nuovo nome)" }), actor),
    ).resolves.toBeUndefined();
    const onboarding = await makeTenant(db, { status: "ONBOARDING" } as Partial<Tenant>);
    await expect(
      updateTenant(db, onboarding.ipaCode, form(onboarding, { status: "TEST" }), actor),
    ).resolves.toBeUndefined();
  });
});
