import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { makeTenant } from "../../server/test/factories.ts";
import { ingestReportingFlow } from "../../server/reconciliation/index.ts";
import { importTreasuryFile } from "../../server/treasury/index.ts";
import type { Tenant } from "../../server/generated/prisma/client.ts";
import {
  principal,
  sessionFor,
  startBackoffice,
  type Harness,
} from "../../server/test/harness/backoffice/backoffice-harness.ts";

/** The read-only reconciliation section: flows, anomalies, treasury credits, in Italian. */
describe("back-office: reconciliation section", () => {
  let h: Harness;
  let t: Tenant;
  let other: Tenant;
  let viewer: { cookie: string; csrf: string };

  const flow = (flowId: string, rows: Array<[string, string, number, number]>) => ({
    format: "FDR1 FlussoRiversamento 1.0",
    flowId,
    pspId: "BDPSIMIT",
    revision: 1,
    flowDate: new Date("2026-11-22T22:00:00Z"),
    settlementId: `TRN-${flowId}`,
    settlementDate: "2026-11-22",
    receiverFiscalCode: t.fiscalCode,
    declaredCount: rows.length,
    declaredTotalCents: rows.reduce((s, r) => s + r[2], 0),
    rows: rows.map(([iuv, iur, amountCents, outcomeCode], i) => ({
      position: i + 1,
      iuv,
      iur,
      transferIndex: 1,
      amountCents,
      outcomeCode: outcomeCode as 0,
      outcomeDate: "2026-11-22",
    })),
    warnings: [],
  });

  beforeAll(async () => {
    h = await startBackoffice();
    t = await makeTenant(h.deps.db, { name: "Comune di Riconciliazione" });
    other = await makeTenant(h.deps.db, { name: "Comune Altro" });
    await ingestReportingFlow(
      h.deps.db,
      t,
      flow("2026-11-22BDPSIMIT-1", [["01000000000000001", "IURSCONOSCIUTO", 1500, 0]]),
    );
    await ingestReportingFlow(
      h.deps.db,
      t,
      flow("2026-11-22BDPSIMIT-2", [["01000000000000002", "IURSTANDIN", 2500, 4]]),
    );
    await importTreasuryFile(h.deps.db, t.id, {
      fileName: "giornale.csv",
      bytes: Buffer.from(
        "data_valuta;importo_centesimi;causale;trn\n" +
          "2026-11-23;1400;/PUR/LGPE-RIVERSAMENTO/URI/2026-11-22BDPSIMIT-1;TRN1\n" +
          "2026-11-23;9900;RIMBORSO SPESE NOTIFICA;TRN2\n",
      ),
    });
    viewer = await sessionFor(h, principal("viewer.ric", [], { [t.ipaCode]: ["viewer"] }));
  }, 60_000);
  afterAll(async () => {
    await h.stop();
  });

  const get = (who: { cookie: string }, path: string) =>
    fetch(`${h.base}/backoffice${path}`, { redirect: "manual", headers: { cookie: who.cookie, accept: "text/html" } });

  test("a viewer sees flows, anomalies in Italian, credits with their match and the flow still unpaid", async () => {
    const res = await get(viewer, `/enti/${t.ipaCode}/riconciliazione`);
    expect(res.status).toBe(200);
    const html = await res.text();
    const section = (id: string) => html.split(`data-testid="${id}"`)[1]!.split("</table>")[0]!.split("</ul>")[0]!;
    expect(html).toContain("<h1>Riconciliazione</h1>");
    expect(section("flows")).toContain("2026-11-22BDPSIMIT-1");
    expect(section("flows")).toContain("0 su 1");
    expect(section("anomalies")).toContain("Pagamento rendicontato senza ricevuta");
    expect(section("anomalies")).toContain("Esito 4: pagato in Stand-In");
    expect(section("credits")).toContain("Importo diverso dal flusso");
    expect(section("credits")).toContain("14,00 €");
    expect(section("flows-without-credit")).toContain("2026-11-22BDPSIMIT-2");
    expect(section("flows-without-credit")).not.toContain("2026-11-22BDPSIMIT-1");
    expect(section("other-credits")).toContain("RIMBORSO SPESE NOTIFICA");
    expect(html).toMatch(
      /href="\/backoffice\/enti\/[^"]+\/riconciliazione"[^>]*aria-current|aria-current[^>]*href="\/backoffice\/enti\/[^"]+\/riconciliazione"/,
    );
  });

  test("another council's reconciliation is closed to this council's staff", async () => {
    const res = await get(viewer, `/enti/${other.ipaCode}/riconciliazione`);
    expect(res.status).toBe(403);
  });
});
