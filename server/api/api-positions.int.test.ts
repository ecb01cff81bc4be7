import { randomInt, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Deps } from "../platform/deps.ts";
import { buildNav, fiscalCodeControlChar } from "../pagopa/index.ts";
import { registerReceipt } from "../positions/register-receipt.ts";
import { fakeOrgFiscalCode, makeTenant } from "../test/factories.ts";
import { testDeps } from "../test/support.ts";
import { apiCall, startApi, type RunningApi } from "../test/harness/api/api-server.ts";
import type { Tenant } from "../generated/prisma/client.ts";

const IBAN = "IT60X0542811101000000123456";
const transfer = (amountCents: number, extra: Record<string, unknown> = {}) => ({
  amountCents,
  taxonomyCode: "9/0101002IM/",
  remittanceText: "TARI 2027",
  iban: IBAN,
  ...extra,
});
const option = (amountCents: number, dueDate: string, extra: Record<string, unknown> = {}) => ({
  amountCents,
  dueDate,
  transfers: [transfer(amountCents)],
  ...extra,
});
const debtor = { fiscalCode: "RSSMRA80A01H501U", name: "Mario Rossi" };

describe("positions API: a council system creates, reads, changes and settles its debts", () => {
  let deps: Deps;
  let api: RunningApi;
  let tenant: Tenant;
  let call: ReturnType<typeof apiCall>;
  let t: string;

  beforeAll(async () => {
    deps = testDeps();
    tenant = await makeTenant(deps.db, { name: "Comune API" });
    api = await startApi(deps);
    call = apiCall(api.base, await api.token({ clientId: `gestionale-${randomUUID()}`, ipa: tenant.ipaCode }));
    t = `/tenants/${tenant.ipaCode}`;
  });
  afterAll(async () => {
    await api?.close();
    await deps?.close();
  });

  it("creates a single payment, a 3-installment plan beside it and a 2-beneficiary position, and reads them back every way", async () => {
    const single = await call("POST", `${t}/positions`, {
      externalId: `S-${randomUUID()}`,
      documentId: "DET-42/2027",
      subject: "Mensa scolastica",
      debtor,
      single: option(4_200, "2027-03-31"),
    });
    expect(single.status, JSON.stringify(single.json)).toBe(201);
    expect(single.json).toMatchObject({ status: "VALID", origin: "API", documentId: "DET-42/2027" });
    expect(single.json.options[0]).toMatchObject({ kind: "SINGLE", amountCents: 4_200, dueDate: "2027-03-31" });
    expect(single.json.options[0].nav).toMatch(new RegExp(`^3${tenant.segregationCode}\\d{15}$`));

    const plan = await call("POST", `${t}/positions`, {
      externalId: `P-${randomUUID()}`,
      subject: "TARI 2027",
      debtor,
      single: option(30_000, "2027-06-30"),
      installments: [option(10_000, "2027-06-30"), option(10_000, "2027-09-30"), option(10_000, "2027-12-31")],
    });
    expect(plan.status).toBe(201);
    expect(
      plan.json.options.map((o: { kind: string; installmentNumber: number | null }) => [o.kind, o.installmentNumber]),
    ).toEqual([
      ["SINGLE", null],
      ["INSTALLMENT", 1],
      ["INSTALLMENT", 2],
      ["INSTALLMENT", 3],
    ]);
    expect(plan.json.options[3].installmentCount).toBe(3);

    const other = fakeOrgFiscalCode();
    const shared = await call("POST", `${t}/positions`, {
      externalId: `M-${randomUUID()}`,
      subject: "Diritti di segreteria",
      debtor,
      single: {
        amountCents: 5_000,
        dueDate: "2027-04-30",
        transfers: [transfer(3_000), transfer(2_000, { beneficiaryFiscalCode: other, postalIban: true })],
      },
    });
    expect(shared.status, JSON.stringify(shared.json)).toBe(201);
    expect(shared.json.options[0].transfers).toMatchObject([
      { index: 1, beneficiaryFiscalCode: tenant.fiscalCode, amountCents: 3_000, postalIban: false },
      { index: 2, beneficiaryFiscalCode: other, amountCents: 2_000, postalIban: true },
    ]);

    const id = plan.json.id;
    const second = plan.json.options[2];
    for (const path of [
      `${t}/positions/${id}`,
      `${t}/positions/by-external-id/${encodeURIComponent(plan.json.externalId)}`,
      `${t}/notices/${second.nav}`,
      `${t}/positions/by-iuv/${second.iuv}`,
    ]) {
      const read = await call("GET", path);
      expect(read.status, path).toBe(200);
      // The create answer (read back on pg) is the position as every read (the ORM's) shows it.
      expect(read.json, path).toEqual(plan.json);
    }
    for (const created of [single, shared])
      expect((await call("GET", `${t}/positions/${created.json.id}`)).json).toEqual(created.json);
    expect((await call("GET", `${t}/notices/300000000000000000`)).status).toBe(404);
  });

  it("creates a batch of positions in one transaction: all of them, or none when one is refused", async () => {
    const batch = (ids: string[]) => ({
      positions: ids.map((externalId) => ({ externalId, subject: "Lotto", debtor, single: option(300, "2027-04-30") })),
    });
    const ids = [0, 1, 2].map(() => `B-${randomUUID()}`);
    const created = await call("POST", `${t}/positions/batch`, batch(ids));
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    expect(created.json.items.map((p: { externalId: string }) => p.externalId)).toEqual(ids);
    const fresh = `B-${randomUUID()}`;
    const refused = await call("POST", `${t}/positions/batch`, batch([fresh, ids[1]!]));
    expect(refused.json).toMatchObject({ status: 409, code: "POSITION_DUPLICATE" });
    expect(refused.json.detail).toContain("positions[1]");
    expect((await call("GET", `${t}/positions/by-external-id/${fresh}`)).status).toBe(404);
    const events = await deps.db.withTenant(tenant.id, (tx) =>
      tx.outboxEvent.findMany({
        where: { tenantId: tenant.id, positionId: { in: created.json.items.map((p: { id: string }) => p.id) } },
      }),
    );
    expect(events.map((e) => e.type)).toEqual(Array(3).fill("position.created"));
    // A batch naming its own NAVs goes one position at a time, each NAV checked.
    const { nav } = buildNav({ segregationCode: tenant.segregationCode, iuvBase: BigInt(randomInt(1, 2 ** 39)) });
    const own = await call("POST", `${t}/positions/batch`, {
      positions: [{ subject: "Lotto numerato", debtor, single: option(300, "2027-04-30", { nav }) }],
    });
    expect(own.status, JSON.stringify(own.json)).toBe(201);
    expect(own.json.items[0].options[0].nav).toBe(nav);
  });

  it("two concurrent creates with one externalId and no Idempotency-Key: one 201, one 409", async () => {
    const body = { externalId: `R-${randomUUID()}`, subject: "Gara", debtor, single: option(100, "2027-04-30") };
    const answers = await Promise.all([call("POST", `${t}/positions`, body), call("POST", `${t}/positions`, body)]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    expect(answers.find((a) => a.status === 409)!.json.code).toBe("POSITION_DUPLICATE");
  });

  it("takes NAVs the council numbered itself within its segregation code, once", async () => {
    const { nav } = buildNav({ segregationCode: tenant.segregationCode, iuvBase: BigInt(randomInt(1, 2 ** 39)) }); // iuvBase below NEW_BASE_OFFSET (10^12)
    const body = (n: string) => ({
      subject: "Numerato dall'ente",
      debtor,
      single: option(1_000, "2027-05-31", { nav: n }),
    });
    const created = await call("POST", `${t}/positions`, body(nav));
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    expect(created.json.options[0].nav).toBe(nav);
    expect((await call("POST", `${t}/positions`, body(nav))).json).toMatchObject({ status: 409, code: "NAV_TAKEN" });
    const foreign = buildNav({ segregationCode: tenant.segregationCode === "02" ? "03" : "02", iuvBase: 123n }).nav;
    expect((await call("POST", `${t}/positions`, body(foreign))).json).toMatchObject({
      status: 422,
      code: "NAV_UNUSABLE",
    });
    const reserved = buildNav({ segregationCode: tenant.segregationCode, iuvBase: 5_000_000_000_000n }).nav;
    expect((await call("POST", `${t}/positions`, body(reserved))).json).toMatchObject({ code: "NAV_UNUSABLE" });
  });

  it("lists with filters by cursor pages, each position once", async () => {
    const fiscalCode = `VRDGPP80A01H501${fiscalCodeControlChar("VRDGPP80A01H501")}`;
    const made = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const r = await call("POST", `${t}/positions`, {
        subject: `Lista ${i}`,
        debtor: { ...debtor, fiscalCode },
        single: option(100 + i, "2027-02-28"),
      });
      made.add(r.json.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof call>> = await call(
        "GET",
        `${t}/positions?debtorFiscalCode=${fiscalCode}&status=VALID&limit=2${cursor ? `&cursor=${cursor}` : ""}`,
      );
      expect(page.status).toBe(200);
      expect(page.json.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.json.items.map((p: { id: string }) => p.id));
      cursor = page.json.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual([...made].sort());
    const none = await call("GET", `${t}/positions?debtorFiscalCode=${fiscalCode}&dueFrom=2027-03-01`);
    expect(none.json.items).toEqual([]);
    expect((await call("GET", `${t}/positions?status=NOPE`)).status).toBe(400);
  });

  it("updates an unpaid position, refuses with the reason while a PSP holds an activation, cancels, and marks paid outside pagoPA", async () => {
    const created = await call("POST", `${t}/positions`, {
      subject: "Da modificare",
      debtor,
      single: option(1_000, "2027-01-31"),
    });
    const nav = created.json.options[0].nav;
    const id = created.json.id;
    const updated = await call("PATCH", `${t}/positions/${id}`, {
      debtor: { ...debtor, name: "Mario Rossi Jr" },
      options: [{ nav, amountCents: 1_500, dueDate: "2027-02-28" }],
    });
    expect(updated.status, JSON.stringify(updated.json)).toBe(200);
    expect(updated.json.debtor.name).toBe("Mario Rossi Jr");
    expect(updated.json.options[0]).toMatchObject({ amountCents: 1_500, dueDate: "2027-02-28" });
    expect(updated.json.options[0].transfers[0].amountCents).toBe(1_500);

    const lockedUntil = new Date(Date.now() + 10 * 60_000);
    await deps.db.withTenant(tenant.id, (tx) =>
      tx.paymentOption.updateMany({ where: { tenantId: tenant.id, nav }, data: { paymentToken: "tok", lockedUntil } }),
    );
    const refused = await call("PATCH", `${t}/positions/${id}`, { options: [{ nav, amountCents: 2_000 }] });
    expect(refused.json).toMatchObject({ status: 409, code: "POSITION_LOCKED" });
    expect(refused.json.detail).toContain(nav);
    expect((await call("POST", `${t}/positions/${id}/mark-paid`, { reason: "Contanti" })).json.code).toBe(
      "POSITION_LOCKED",
    );
    expect((await call("GET", `${t}/positions/${id}`)).json.options[0].activationLockedUntil).toBe(
      lockedUntil.toISOString(),
    );
    await deps.db.withTenant(tenant.id, (tx) =>
      tx.paymentOption.updateMany({
        where: { tenantId: tenant.id, nav },
        data: { paymentToken: null, lockedUntil: null },
      }),
    );

    const paid = await call("POST", `${t}/positions/${id}/mark-paid`, { reason: "Pagato in contanti allo sportello" });
    expect(paid.status, JSON.stringify(paid.json)).toBe(200);
    expect(paid.json).toMatchObject({ status: "PAID", options: [{ status: "PAID" }] });
    const status = await call("GET", `${t}/positions/${id}/payment-status`);
    expect(status.json).toMatchObject({ status: "PAID", paidCents: 1_500, receipts: [] });
    expect((await call("PATCH", `${t}/positions/${id}`, { subject: "x" })).json.code).toBe("POSITION_NOT_UPDATABLE");
    const audit = await deps.db.withTenant(tenant.id, (tx) =>
      tx.auditLog.findMany({ where: { tenantId: tenant.id, entityId: id }, orderBy: { at: "asc" } }),
    );
    expect(audit.map((a) => a.action)).toEqual(["position.create", "position.update", "position.mark-paid"]);
    const events = await deps.db.withTenant(tenant.id, (tx) =>
      tx.outboxEvent.findMany({ where: { tenantId: tenant.id, positionId: id }, orderBy: { id: "asc" } }),
    );
    expect(events.map((e) => e.type)).toEqual(["position.created", "position.updated", "position.paid"]);
    expect((events[2]!.payload as { data: Record<string, unknown> }).data).toMatchObject({
      status: "PAID",
      outsidePagoPA: true,
    });

    const toCancel = await call("POST", `${t}/positions`, {
      subject: "Da annullare",
      debtor,
      single: option(700, "2027-01-31"),
    });
    const cancelled = await call("POST", `${t}/positions/${toCancel.json.id}/cancel`, { reason: "Emessa per errore" });
    expect(cancelled.json).toMatchObject({ status: "CANCELLED", options: [{ status: "CANCELLED" }] });
  });

  it("an installment paid at the counter leaves the plan partially paid", async () => {
    const plan = await call("POST", `${t}/positions`, {
      subject: "Rate",
      debtor,
      installments: [option(500, "2027-01-31"), option(500, "2027-02-28")],
    });
    const first = plan.json.options[0].nav;
    const paid = await call("POST", `${t}/positions/${plan.json.id}/mark-paid`, {
      reason: "Bonifico in tesoreria",
      nav: first,
    });
    expect(paid.json).toMatchObject({ status: "PARTIALLY_PAID", options: [{ status: "PAID" }, { status: "UNPAID" }] });
    const events = await deps.db.withTenant(tenant.id, (tx) =>
      tx.outboxEvent.findMany({ where: { tenantId: tenant.id, positionId: plan.json.id }, select: { type: true } }),
    );
    expect(events.map((e) => e.type)).toContain("position.partially_paid");
  });

  it("Idempotency-Key: 20 concurrent identical POSTs create one position; the same key with another body is 422", async () => {
    const key = randomUUID();
    const subject = `Idempotente ${key}`;
    const body = { subject, debtor, single: option(2_500, "2027-05-31") };
    const answers = await Promise.all(Array.from({ length: 20 }, () => call("POST", `${t}/positions`, body, key)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(201));
    expect(new Set(answers.map((a) => a.json.id)).size).toBe(1);
    expect(answers.filter((a) => a.headers.get("idempotent-replayed") === "false")).toHaveLength(1);
    const count = await deps.db.withTenant(tenant.id, (tx) =>
      tx.debtPosition.count({ where: { tenantId: tenant.id, subject } }),
    );
    expect(count).toBe(1);
    const repeat = await call("POST", `${t}/positions`, body, key);
    expect(repeat.json).toEqual(answers[0]!.json);
    const other = await call("POST", `${t}/positions`, { ...body, subject: "Altro" }, key);
    expect(other.json).toMatchObject({ status: 422, code: "IDEMPOTENCY_KEY_REUSED" });
  });

  it("the receipts feed returns each receipt once across calls, and the receipt as JSON by receiptId", async () => {
    const created = await call("POST", `${t}/positions`, {
      subject: "Pagata con pagoPA",
      debtor,
      single: option(900, "2027-01-31"),
    });
    const o = created.json.options[0];
    const start = await call("GET", `${t}/receipts?limit=500`);
    let cursor: string | null = start.json.nextCursor;
    const receiptId = `rcpt-feed-${randomUUID().slice(0, 8)}`;
    await registerReceipt(
      deps.db,
      tenant,
      {
        receiptId,
        nav: o.nav,
        noticeFiscalCode: tenant.fiscalCode,
        outcome: "OK",
        creditorReferenceId: o.iuv,
        amountCents: 900,
        pspId: "PSPTEST",
        standIn: false,
        transfers: [
          {
            index: 1,
            amountCents: 900,
            fiscalCodePA: tenant.fiscalCode,
            iban: IBAN,
            remittanceText: "x",
            category: "9/0101002IM/",
          },
        ],
      },
      async () => undefined,
    );
    // The feed shows receipts once they settled (FEED_SETTLE_MS): age this one instead of waiting.
    await deps.db.withTenant(tenant.id, (tx) =>
      tx.receipt.updateMany({
        where: { tenantId: tenant.id, receiptId },
        data: { receivedAt: new Date(Date.now() - 60_000) },
      }),
    );
    const first = await call("GET", `${t}/receipts${cursor ? `?cursor=${cursor}` : ""}`);
    expect(first.json.items.map((r: { receiptId: string }) => r.receiptId)).toEqual([receiptId]);
    expect(first.json.items[0]).toMatchObject({
      positionId: created.json.id,
      amountCents: 900,
      psp: { id: "PSPTEST" },
    });
    cursor = first.json.nextCursor;
    const second = await call("GET", `${t}/receipts?cursor=${cursor}`);
    expect(second.json.items).toEqual([]);
    expect(second.json.nextCursor).toBe(cursor);

    expect((await call("GET", `${t}/receipts/${receiptId}`)).json).toMatchObject({ receiptId, nav: o.nav });
    const status = await call("GET", `${t}/positions/${created.json.id}/payment-status`);
    expect(status.json).toMatchObject({ status: "PAID", receipts: [{ receiptId }] });
  });

  it("lists the council's payment types", async () => {
    await deps.db.withTenant(tenant.id, (tx) =>
      tx.paymentType.create({
        data: { tenantId: tenant.id, code: "MENSA", name: "Mensa", taxonomyCode: "9/0101002IM/" },
      }),
    );
    const types = await call("GET", `${t}/payment-types`);
    expect(types.json).toEqual([
      expect.objectContaining({ code: "MENSA", status: "PUBLISHED", taxonomyCode: "9/0101002IM/" }),
    ]);
  });
});

describe("per-client rate limit in Redis", () => {
  it("counts down RateLimit-Remaining and answers 429 with Retry-After past the budget", async () => {
    const deps = testDeps({ API_RATE_LIMIT_PER_MINUTE: "3" });
    const api = await startApi(deps);
    try {
      const tenant = await makeTenant(deps.db);
      const clientId = `limited-${randomUUID()}`;
      const call = apiCall(api.base, await api.token({ clientId, ipa: tenant.ipaCode }));
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push(await call("GET", `/tenants/${tenant.ipaCode}/payment-types`));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429]);
      expect(answers.map((a) => a.headers.get("ratelimit-remaining"))).toEqual(["2", "1", "0", "0"]);
      expect(answers[0]!.headers.get("ratelimit-limit")).toBe("3");
      expect(Number(answers[3]!.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(answers[3]!.json.code).toBe("RATE_LIMITED");
      // Another client of the same council has its own budget.
      const other = apiCall(api.base, await api.token({ clientId: `${clientId}-2`, ipa: tenant.ipaCode }));
      expect((await other("GET", `/tenants/${tenant.ipaCode}/payment-types`)).status).toBe(200);
    } finally {
      await api.close();
      await deps.close();
    }
  });
});
