import { pino } from "pino";
import { afterAll, describe, expect, inject, it } from "vitest";
import { Database } from "../../platform/db/database.ts";
import { makeCouncilReadyToGoLive, makeTenant } from "../../test/factories.ts";
import { JOBS } from "../../jobs.ts";
import { applyDueGoLives } from "./apply-due-go-lives.ts";
import { cancelGoLive, revertGoLive } from "./close-go-live.ts";
import { GoLiveRefused, scheduleGoLive } from "./schedule-go-live.ts";

const actor = { type: "staff" as const, id: "admin.regione" };
// 10:00 in Rome on 3 December 2026.
const NOW = new Date("2026-12-03T09:00:00Z");
const logger = pino({ level: "silent" });

describe("a council goes live from the test station to a production one (check list, date, way back)", () => {
  const db = new Database({ url: inject("databaseUrl") });
  afterAll(() => db.close());
  const scope = <T>(fn: Parameters<Database["withPlatformScope"]>[1]) => db.withPlatformScope("test", fn) as Promise<T>;

  const readyCouncil = () => makeCouncilReadyToGoLive(db);

  const tenantNow = (id: string) =>
    db.client.tenant.findUniqueOrThrow({ where: { id }, include: { station: { select: { code: true } } } });
  const auditOf = (tenantId: string) =>
    scope<{ action: string }[]>((tx) =>
      tx.auditLog.findMany({ where: { tenantId, action: { startsWith: "tenant.go-live" } } }),
    );

  it("goes live at once when the day is today in Rome (00:30 on 3 December is still 2 December in UTC), audited", async () => {
    const { t, liveStation } = await readyCouncil();
    const justAfterMidnight = new Date("2026-12-02T23:30:00Z");
    const done = await scheduleGoLive(
      db,
      t.ipaCode,
      { liveStationCode: liveStation, effectiveOn: "2026-12-03" },
      actor,
      justAfterMidnight,
    );
    expect(done.switched).toBe(true);
    const after = await tenantNow(t.id);
    expect([after.status, after.station.code]).toEqual(["LIVE", liveStation]);
    // One transaction writes both, at the same instant: compared as a set.
    expect((await auditOf(t.id)).map((a) => a.action).sort()).toEqual(["tenant.go-live", "tenant.go-live-scheduled"]);
  });

  type Breaker = (
    c: Awaited<ReturnType<typeof readyCouncil>>,
  ) => Promise<{ liveStationCode?: string; effectiveOn?: string } | void>;
  const cases: Array<[string, string, RegExp, Breaker]> = [
    [
      "still onboarding",
      "status",
      /non è in collaudo/,
      ({ t }) => db.client.tenant.update({ where: { id: t.id }, data: { status: "ONBOARDING" } }).then(() => {}),
    ],
    [
      "no contact e-mail",
      "registry",
      /e-mail di contatto o il codice CBILL/,
      ({ t }) => db.client.tenant.update({ where: { id: t.id }, data: { contactEmail: null } }).then(() => {}),
    ],
    [
      "no IBAN in force on the day",
      "accounts",
      /nessun IBAN di accredito è in vigore/,
      ({ t }) =>
        scope((tx) =>
          tx.creditorAccount.updateMany({ where: { tenantId: t.id }, data: { effectiveTo: new Date("2026-12-05") } }),
        ).then(() => ({ effectiveOn: "2026-12-10" })),
    ],
    [
      "no active payment type",
      "paymentTypes",
      /nessun tipo di pagamento attivo/,
      ({ t }) =>
        scope((tx) => tx.paymentType.updateMany({ where: { tenantId: t.id }, data: { active: false } })).then(() => {}),
    ],
    [
      "no staff",
      "staff",
      /nessun amministratore o operatore/,
      ({ t }) => scope((tx) => tx.membership.deleteMany({ where: { tenantId: t.id } })).then(() => {}),
    ],
    [
      "no successful test payment",
      "firstPayment",
      /nessuna ricevuta positiva in collaudo/,
      ({ t }) =>
        scope((tx) => tx.receipt.updateMany({ where: { tenantId: t.id }, data: { outcome: "KO" } })).then(() => {}),
    ],
    [
      "no approved pre-production run",
      "preproduction",
      /nessun collaudo automatico superato con il verbale approvato/,
      ({ t }) =>
        scope((tx) => tx.preproductionRun.updateMany({ where: { tenantId: t.id }, data: { approvedAt: null } })).then(
          () => {},
        ),
    ],
    ["no station chosen", "station", /scegli la stazione/, async () => ({ liveStationCode: undefined })],
    [
      "an unknown station",
      "station",
      /la stazione NON_ESISTE non esiste/,
      async () => ({ liveStationCode: "NON_ESISTE" }),
    ],
    [
      "the test station itself",
      "station",
      /è di test, non di produzione/,
      async ({ testStation }) => ({ liveStationCode: testStation }),
    ],
    [
      "a disabled station",
      "station",
      /è disattivata/,
      ({ liveStation }) =>
        db.client.station.update({ where: { code: liveStation }, data: { enabled: false } }).then(() => {}),
    ],
    [
      "a station that authenticates nobody",
      "station",
      /non autentica chi la chiama/,
      ({ liveStation }) =>
        db.client.station.update({ where: { code: liveStation }, data: { subscriptionKeyHash: null } }).then(() => {}),
    ],
    [
      "another intermediary's station",
      "station",
      /di un altro intermediario/,
      async () => ({
        liveStationCode: (
          await db.client.station.findUniqueOrThrow({ where: { id: (await makeTenant(db)).stationId } })
        ).code,
      }),
    ],
    ["no day", "date", /scegli la data/, async () => ({ effectiveOn: undefined })],
    [
      "a day in the past",
      "date",
      /la data è passata: al più presto oggi, 03\/12\/2026/,
      async () => ({ effectiveOn: "2026-12-02" }),
    ],
    ["an impossible day", "date", /data non valida/, async () => ({ effectiveOn: "2026-02-30" })],
    [
      "a day over a year ahead",
      "date",
      /troppo lontana: al più tardi il 03\/12\/2027/,
      async () => ({ effectiveOn: "2027-12-04" }),
    ],
    [
      "a go-live already planned",
      "pending",
      /già previsto il passaggio in esercizio dal 20\/12\/2026/,
      async ({ t, liveStation }) => {
        await scheduleGoLive(db, t.ipaCode, { liveStationCode: liveStation, effectiveOn: "2026-12-20" }, actor, NOW);
      },
    ],
  ];
  it.each(cases)("refuses with a named reason: %s", async (_name, key, reason, breakIt) => {
    const c = await readyCouncil();
    const overrides = (await breakIt(c)) ?? {};
    const request = { liveStationCode: c.liveStation, effectiveOn: "2026-12-03", ...overrides };
    const err = await scheduleGoLive(db, c.t.ipaCode, request, actor, NOW).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GoLiveRefused);
    const failed = (err as GoLiveRefused).failed;
    expect(failed.map((f) => f.key)).toEqual([key]);
    expect(failed[0]!.reason).toMatch(reason);
    const after = await tenantNow(c.t.id);
    expect([after.status === "LIVE", after.station.code]).toEqual([false, c.testStation]);
  });

  it("a planned day: nothing before it, switched on it; held (still in test) when the IBAN closed meanwhile", async () => {
    const a = await readyCouncil();
    const b = await readyCouncil();
    for (const c of [a, b])
      expect(
        (
          await scheduleGoLive(
            db,
            c.t.ipaCode,
            { liveStationCode: c.liveStation, effectiveOn: "2026-12-10" },
            actor,
            NOW,
          )
        ).switched,
      ).toBe(false);
    expect((await tenantNow(a.t.id)).status).toBe("TEST");
    await applyDueGoLives(db, logger, new Date("2026-12-09T22:59:00Z"));
    expect((await tenantNow(a.t.id)).status).toBe("TEST");
    await scope((tx) =>
      tx.creditorAccount.updateMany({ where: { tenantId: b.t.id }, data: { effectiveTo: new Date("2026-12-09") } }),
    );
    const run = await applyDueGoLives(db, logger, new Date("2026-12-09T23:01:00Z"));
    expect(run.switched).toContain(a.t.id);
    expect(run.held).toContainEqual({
      tenantId: b.t.id,
      reasons: ["nessun IBAN di accredito è in vigore il giorno scelto"],
    });
    expect([(await tenantNow(a.t.id)).station.code, (await tenantNow(b.t.id)).status]).toEqual([a.liveStation, "TEST"]);
    expect(JOBS.some((j) => j.name === "apply-due-go-lives" && j.schedule)).toBe(true);
  });

  it("cancelling needs a reason; the way back returns a live council to its test station, with a reason, audited", async () => {
    const c = await readyCouncil();
    await scheduleGoLive(db, c.t.ipaCode, { liveStationCode: c.liveStation, effectiveOn: "2026-12-15" }, actor, NOW);
    await expect(cancelGoLive(db, c.t.ipaCode, "", actor, NOW)).rejects.toMatchObject({
      fieldErrors: { reason: expect.stringMatching(/scrivi il motivo/) },
    });
    await cancelGoLive(db, c.t.ipaCode, "Il Comune ha chiesto di rinviare a gennaio", actor, NOW);
    await expect(revertGoLive(db, c.t.ipaCode, "Prova di ritorno senza esercizio", actor, NOW)).rejects.toMatchObject({
      fieldErrors: { form: expect.stringMatching(/non è in esercizio/) },
    });

    await scheduleGoLive(db, c.t.ipaCode, { liveStationCode: c.liveStation, effectiveOn: "2026-12-03" }, actor, NOW);
    expect((await tenantNow(c.t.id)).status).toBe("LIVE");
    await revertGoLive(db, c.t.ipaCode, "IBAN registrato male presso pagoPA", actor, NOW);
    const back = await tenantNow(c.t.id);
    expect([back.status, back.station.code]).toEqual(["TEST", c.testStation]);
    expect((await auditOf(c.t.id)).map((a) => a.action).sort()).toEqual([
      "tenant.go-live",
      "tenant.go-live-cancelled",
      "tenant.go-live-reverted",
      "tenant.go-live-scheduled",
      "tenant.go-live-scheduled",
    ]);
  });
});
