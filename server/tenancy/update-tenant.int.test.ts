import { afterAll, describe, expect, inject, it } from "vitest";
import { Database } from "../platform/db/database.ts";
import { makeTenant } from "../test/factories.ts";
import type { Tenant } from "../generated/prisma/client.ts";
import { LiveConfirmationRequired, updateTenant } from "./update-tenant.ts";

const actor = { type: "staff" as const, id: "platform-admin" };

describe("putting a council in esercizio (LIVE)", () => {
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

  it("asks for a confirmation that lists what is missing: steps, IBAN, test station", async () => {
    const t = await makeTenant(db, { status: "TEST", name: "Comune in collaudo" } as Partial<Tenant>);
    await db.client.station.update({ where: { id: t.stationId }, data: { environment: "TEST" } });
    const err = await updateTenant(db, t.ipaCode, form(t), actor).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LiveConfirmationRequired);
    const missing = (err as LiveConfirmationRequired).missing;
    expect(missing).toContain("non ha un IBAN di accredito in vigore");
    expect(missing).toContain("manca il passo «Dati dell'ente»");
    expect(missing).toContain("manca il passo «Primo pagamento ricevuto»");
    const station = await db.client.station.findUniqueOrThrow({ where: { id: t.stationId } });
    expect(missing).toContain(
      `è sulla stazione di test ${station.code}: in esercizio serve una stazione di produzione`,
    );
    expect((err as LiveConfirmationRequired).fieldErrors.status).toMatch(/^Per mettere l'ente in esercizio conferma/);
    expect((await db.client.tenant.findUniqueOrThrow({ where: { id: t.id } })).status).toBe("TEST");

    // Confirmed explicitly: saved, and audited as any change.
    await updateTenant(db, t.ipaCode, form(t, { confirmLive: "on" }), actor);
    expect((await db.client.tenant.findUniqueOrThrow({ where: { id: t.id } })).status).toBe("LIVE");
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
