import http from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRole, type RunningRole } from "../../roles/roles.ts";
import { testDeps } from "../../test/support.ts";
import { makeTenant } from "../../test/factories.ts";
import { cancelPosition, createPosition, expireOverdueOptionsJob, updatePosition } from "../../positions/index.ts";
import type { Tenant } from "../../generated/prisma/client.ts";
import { simulatorConfigSchema } from "../../../infra/nodo-simulator/config.ts";
import { createSimulator } from "../../../infra/nodo-simulator/app.ts";
import { acaStatus, createAcaClient, runAcaSync, setAcaEnabled, type AcaSyncStats } from "./index.ts";

const actor = { type: "system" as const, id: "test" };
const KEY = "aca-test-key";

/**
 * The Stand-In alignment end to end: our outbox events, the sync run, the simulator's ACA
 * archive over HTTP (subscription key required), and the simulator paying from that archive
 * with the station never asked for the notice.
 */
describe("ACA Stand-In alignment against the simulator", () => {
  const deps = testDeps();
  let tenant: Tenant;
  let role: RunningRole;
  let sim: ReturnType<typeof createSimulator>;
  let simUrl: string;
  let server: http.Server;

  beforeAll(async () => {
    role = await startRole("soap", deps);
    tenant = await makeTenant(deps.db);
    const station = await deps.db.client.station.findUniqueOrThrow({
      where: { id: tenant.stationId },
      include: { intermediary: true },
    });
    sim = createSimulator(
      simulatorConfigSchema.parse({
        NODO_SIM_STATION_URL: `${role.url}/nodo/paForNode`,
        NODO_SIM_BROKER_PA: station.intermediary.fiscalCode,
        NODO_SIM_STATION_ID: station.code,
        NODO_SIM_DATA_DIR: mkdtempSync(path.join(tmpdir(), "nodo-sim-aca-")),
        NODO_SIM_ACA_KEY: KEY,
      }),
      () => undefined,
    );
    server = http.createServer(sim.app);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    simUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await role.stop();
    await deps.close();
  });

  const client = (key = KEY) =>
    createAcaClient({ baseUrl: `${simUrl}/aca/debt-positions-service/v1`, subscriptionKey: key, timeoutMs: 5_000 });
  const unseen = () =>
    deps.db.withTenant(tenant.id, (tx) => tx.outboxEvent.count({ where: { tenantId: tenant.id, acaSeenAt: null } }));
  /**
   * One sync run for this council; other test files share the outbox and may hold its reader's
   * lock, so it runs again until this council's events have been read, adding up the figures.
   */
  const sync = async (now?: Date, key?: string): Promise<AcaSyncStats> => {
    const total = await runAcaSync(deps.db, client(key), deps.logger, { now, tenantIds: [tenant.id] });
    for (let i = 0; i < 20 && (await unseen()) > 0; i++) {
      const more = await runAcaSync(deps.db, client(key), deps.logger, { now, tenantIds: [tenant.id] });
      for (const k of Object.keys(total) as Array<keyof AcaSyncStats>) total[k] += more[k];
    }
    expect(await unseen()).toBe(0);
    return total;
  };
  const admin = async () =>
    (await (await fetch(`${simUrl}/admin/aca`)).json()) as {
      calls: Array<{ method: string; path: string; status: number }>;
      records: Array<{
        status: string;
        organizationFiscalCode: string;
        position: { iupd: string; paymentOption: Array<{ nav: string; amount: number }> };
      }>;
    };
  const record = async (iupd: string) => (await admin()).records.find((r) => r.position.iupd === iupd);
  const setDown = (down: boolean) => fetch(`${simUrl}/admin/aca?down=${down}`, { method: "POST" });
  const notice = (amountCents = 2500, expiresAt?: Date) =>
    createPosition(
      deps.db,
      tenant,
      {
        debtor: { fiscalCode: "RSSMRA80A01H501U", name: "Mario Rossi" },
        subject: "Mensa scolastica",
        single: {
          amountCents,
          dueDate: new Date(Date.now() + 30 * 86_400_000),
          ...(expiresAt ? { expiresAt } : {}),
          transfers: [
            { iban: "IT60X0542811101000000123456", amountCents, taxonomyCode: "9/0101002IM/", remittanceText: "Mensa" },
          ],
        },
      },
      actor,
    );
  const syncRow = (positionId: string) =>
    deps.db.withTenant(tenant.id, (tx) =>
      tx.acaSync.findUnique({ where: { tenantId_positionId: { tenantId: tenant.id, positionId } } }),
    );

  it("makes no call while the council's switch is off", async () => {
    const created = await notice();
    const stats = await sync();
    expect(stats.created + stats.updated + stats.invalidated + stats.failed).toBe(0);
    expect(await syncRow(created.id)).toBeNull();
    expect((await admin()).calls).toEqual([]);
  });

  it("switch on: the positions already there go to the archive, then each new one", async () => {
    const before = await notice(1800);
    expect(await setAcaEnabled(deps.db, tenant.id, true, actor)).toMatchObject({ enabled: true, marked: 2 });
    const created = await notice();
    const stats = await sync();
    expect(stats).toMatchObject({ created: 3, failed: 0 });
    const archived = await record(created.iupd);
    expect(archived).toMatchObject({ status: "VALID", organizationFiscalCode: tenant.fiscalCode });
    expect(archived!.position.paymentOption).toEqual([
      expect.objectContaining({ nav: created.options[0]!.nav, amount: 2500 }),
    ]);
    expect((await record(before.iupd))?.status).toBe("VALID");
    expect(await syncRow(created.id)).toMatchObject({ pending: false, remoteState: "VALID", lastError: null });
    // Nothing changed: the next run sends nothing.
    const calls = (await admin()).calls.length;
    expect(await sync()).toMatchObject({ created: 0, updated: 0 });
    expect((await admin()).calls.length).toBe(calls);
    const audit = await deps.db.withTenant(tenant.id, (tx) =>
      tx.auditLog.findFirst({ where: { action: "tenant.aca-switch" } }),
    );
    expect(audit).not.toBeNull();
  });

  it("an amount change updates the archive; a cancel invalidates it", async () => {
    const created = await notice();
    await sync();
    await updatePosition(
      deps.db,
      tenant,
      created.id,
      { options: [{ nav: created.options[0]!.nav, amountCents: 3100 }] },
      actor,
    );
    expect(await sync()).toMatchObject({ updated: 1, created: 0 });
    expect((await record(created.iupd))!.position.paymentOption[0]!.amount).toBe(3100);
    const puts = (await admin()).calls.filter((c) => c.method === "PUT" && c.path.endsWith(`/${created.iupd}`));
    expect(puts).toEqual([expect.objectContaining({ status: 200 })]);

    await cancelPosition(deps.db, tenant.id, created.id, "emesso per errore", actor);
    expect(await sync()).toMatchObject({ invalidated: 1 });
    expect((await record(created.iupd))!.status).toBe("INVALID");
    expect(await syncRow(created.id)).toMatchObject({ pending: false, remoteState: "INVALID" });
  });

  it("an expired notice is invalidated by the expiry job's event", async () => {
    const expiresAt = new Date(Date.now() + 40 * 86_400_000);
    const created = await notice(2500, expiresAt);
    await sync();
    expect((await record(created.iupd))!.status).toBe("VALID");
    await expireOverdueOptionsJob.handle(
      { now: new Date(expiresAt.getTime() + 3_600_000).toISOString() },
      deps,
      undefined as never,
    );
    expect(await sync()).toMatchObject({ invalidated: 1 });
    expect((await record(created.iupd))!.status).toBe("INVALID");
  });

  it("archive down: the alignment stays pending with its error and goes through on a later run", async () => {
    await setDown(true);
    const created = await notice();
    const t0 = new Date();
    expect(await sync(t0)).toMatchObject({ failed: 1, created: 0 });
    const failed = await syncRow(created.id);
    expect(failed).toMatchObject({ pending: true, remoteState: "NONE" });
    expect(failed!.lastError).toMatch(/ACA_UNAVAILABLE.*503/);
    expect(failed!.nextAttemptAt.getTime()).toBeGreaterThan(t0.getTime() + 20_000);
    // Not due yet: the same instant makes no call.
    expect(await sync(t0)).toMatchObject({ failed: 0, created: 0 });
    expect(await acaStatus(deps.db, tenant.id)).toMatchObject({ enabled: true, pending: 1, failing: 1 });

    await setDown(false);
    expect(await sync(new Date(t0.getTime() + 60_000))).toMatchObject({ created: 1, failed: 0 });
    expect(await record(created.iupd)).toMatchObject({ status: "VALID" });
    expect(await syncRow(created.id)).toMatchObject({ pending: false, lastError: null, attempts: 0 });
  });

  it("a wrong subscription key is refused by the archive and retried, never counted as aligned", async () => {
    const created = await notice();
    expect(await sync(undefined, "wrong")).toMatchObject({ failed: 1 });
    expect((await syncRow(created.id))!.lastError).toMatch(/ACA_REJECTED.*401/);
    expect(await sync(new Date(Date.now() + 60_000))).toMatchObject({ created: 1 });
  });

  it("Stand-In: the simulator pays from its ACA archive without asking the station; an invalidated notice is refused", async () => {
    const created = await notice(4200);
    await sync();
    const nav = created.options[0]!.nav;
    const pay = async (n: string) =>
      (await (
        await fetch(`${simUrl}/psp/pay`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ fiscalCode: tenant.fiscalCode, noticeNumber: n, faults: { standIn: true } }),
        })
      ).json()) as {
        ok: boolean;
        error?: string;
        steps: Array<{ operation: string }>;
        payment?: { amountCents: number };
      };
    const paid = await pay(nav);
    expect(paid.ok).toBe(true);
    expect(paid.steps.map((s) => s.operation)).toEqual(["paSendRTV2"]);
    expect(paid.payment!.amountCents).toBe(4200);
    const receipt = await deps.db.withTenant(tenant.id, (tx) => tx.receipt.findFirstOrThrow({ where: { nav } }));
    expect(receipt).toMatchObject({ standIn: true, amountCents: 4200, outcome: "OK" });
    // The receipt paid the position: the next run takes the notice out of the archive.
    expect(await sync()).toMatchObject({ invalidated: 1 });
    expect((await record(created.iupd))!.status).toBe("INVALID");

    const refused = await pay(nav);
    expect(refused.ok).toBe(false);
    expect(refused.error).toMatch(/not valid in the ACA archive/);
  });

  it("switch off: later changes make no call", async () => {
    const created = await notice();
    await sync();
    await setAcaEnabled(deps.db, tenant.id, false, actor);
    const calls = (await admin()).calls.length;
    await cancelPosition(deps.db, tenant.id, created.id, "annullato", actor);
    await sync();
    expect((await admin()).calls.length).toBe(calls);
    expect((await record(created.iupd))!.status).toBe("VALID");
  });
});
