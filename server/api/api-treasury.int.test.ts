import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Deps } from "../platform/deps.ts";
import { ingestReportingFlow } from "../reconciliation/index.ts";
import { makeTenant } from "../test/factories.ts";
import { classificationFixture } from "../test/harness/reconciliation/classification-fixture.ts";
import { testDeps } from "../test/support.ts";
import { apiCall, startApi, type RunningApi } from "../test/harness/api/api-server.ts";
import type { Tenant } from "../generated/prisma/client.ts";

const FLOW = "2026-11-21BDPSIMIT-API1";
const form = (content: string | Buffer, name: string) => {
  const f = new FormData();
  f.append("file", new Blob([typeof content === "string" ? content : new Uint8Array(content)]), name);
  return f;
};

/** The API door of treasury journals: upload (multipart, Idempotency-Key), outcome, list. */
describe("treasury journals API", () => {
  let deps: Deps;
  let api: RunningApi;
  let tenant: Tenant;
  let call: ReturnType<typeof apiCall>;
  let t: string;
  let journal = "";
  let paidIuv = "";

  beforeAll(async () => {
    deps = testDeps({ TREASURY_MAX_BYTES: "4096" });
    tenant = await makeTenant(deps.db, { name: "Comune API tesoreria" });
    const fx = classificationFixture(deps.db, tenant);
    paidIuv = await fx.debt(6100);
    const rt = await fx.receipt(paidIuv, 6100);
    await ingestReportingFlow(deps.db, tenant, fx.flow(FLOW, [rt]));
    journal =
      "data_valuta;importo_centesimi;causale;trn\n" +
      `2026-11-22;6100;${fx.credit(FLOW)};TRN-API-1\n` +
      "2026-11-22;700;RIMBORSO SPESE;TRN-API-2\n" +
      "2026-11-22;;RIGA SENZA IMPORTO;TRN-API-3\n";
    api = await startApi(deps);
    call = apiCall(api.base, await api.token({ clientId: `tesoreria-${randomUUID()}`, ipa: tenant.ipaCode }));
    t = `/tenants/${tenant.ipaCode}`;
  });
  afterAll(async () => {
    await api?.close();
    await deps?.close();
  });

  it("imports a journal (201) with what was read and matched; the same key replays, the same bytes are the earlier journal", async () => {
    const key = randomUUID();
    const up = await call("POST", `${t}/treasury-files`, form(journal, "giornale.csv"), key);
    expect(up.status, JSON.stringify(up.json)).toBe(201);
    expect(up.json).toMatchObject({
      fileName: "giornale.csv",
      format: "CSV",
      source: "API",
      duplicate: false,
      creditsRead: 2,
      duplicates: 0,
      matched: 1,
      unmatched: 1,
      byStatus: { MATCHED: 1, NO_PAGOPA_REFERENCE: 1, AMOUNT_MISMATCH: 0, FLOW_NOT_FOUND: 0 },
    });
    expect(up.json.rowErrors).toHaveLength(1);
    expect(up.json.rowErrors[0].row).toBe(4);
    const credits = up.json.credits as Array<{ amountCents: number; flowId: string | null; status: string }>;
    expect(credits.map((c) => [c.amountCents, c.flowId, c.status]).sort()).toEqual([
      [6100, FLOW, "MATCHED"],
      [700, null, "NO_PAGOPA_REFERENCE"],
    ]);
    const code = await deps.db.withTenant(tenant.id, (tx) =>
      tx.paymentClassification.findFirstOrThrow({ where: { subjectKind: "PAYMENT", subject: paidIuv } }),
    );
    expect(code.code).toBe("IUD_RT_IUF_TES");

    const replay = await call("POST", `${t}/treasury-files`, form(journal, "giornale.csv"), key);
    expect(replay.status).toBe(201);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.json.treasuryFileId).toBe(up.json.treasuryFileId);

    const again = await call("POST", `${t}/treasury-files`, form(journal, "copia.csv"), randomUUID());
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({
      treasuryFileId: up.json.treasuryFileId,
      duplicate: true,
      fileName: "giornale.csv",
    });
    expect(await deps.db.withTenant(tenant.id, (tx) => tx.treasuryImport.count())).toBe(1);

    const audit = await deps.db.withTenant(tenant.id, (tx) =>
      tx.auditLog.findFirstOrThrow({ where: { action: "treasury.import" } }),
    );
    expect(audit).toMatchObject({ actorType: "machine", after: { source: "API" } });

    const got = await call("GET", `${t}/treasury-files/${up.json.treasuryFileId}`);
    expect(got.status).toBe(200);
    expect(got.json).toMatchObject({ treasuryFileId: up.json.treasuryFileId, matched: 1, duplicate: false });
    const list = await call("GET", `${t}/treasury-files`);
    expect(list.json.items.map((i: { treasuryFileId: string }) => i.treasuryFileId)).toEqual([up.json.treasuryFileId]);
  });

  it("refuses a file that is no journal (422), an unreadable one with its reason (422), one too large (413), a missing file", async () => {
    const pdf = await call("POST", `${t}/treasury-files`, form("%PDF-1.4", "estratto.pdf"));
    expect(pdf.status).toBe(422);
    expect(pdf.json.code).toBe("TREASURY_FILE_INVALID");
    const odd = await call("POST", `${t}/treasury-files`, form("colonna;altra\n1;2\n", "strano.csv"));
    expect(odd.status).toBe(422);
    expect(odd.json.detail).toMatch(/Header mancanti/);
    const big = await call("POST", `${t}/treasury-files`, form(Buffer.alloc(5000, 65), "grande.csv"));
    expect(big.status).toBe(413);
    const none = await call("POST", `${t}/treasury-files`, new FormData());
    expect(none.status).toBe(422);
    expect((await call("GET", `${t}/treasury-files/${randomUUID()}`)).status).toBe(404);
  });
});
