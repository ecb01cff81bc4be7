import http from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startRole, type RunningRole } from "../../../roles/roles.ts";
import type { Deps } from "../../../platform/deps.ts";
import type { Tenant } from "../../../generated/prisma/client.ts";
import { createPosition } from "../../../positions/index.ts";
import { makeTenant } from "../../factories.ts";
import { simulatorConfigSchema } from "../../../../infra/nodo-simulator/config.ts";
import { createSimulator } from "../../../../infra/nodo-simulator/app.ts";
import { SPECS_DIR } from "./real-world.ts";

const listen = (server: http.Server) =>
  new Promise<string>((r) =>
    server.listen(0, "127.0.0.1", () => r(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );

/**
 * Our real station (soap role) and the Nodo simulator wired to it, for a council of its own:
 * positions are created here, paid at the simulator's PSP counter (verify, activation, receipt
 * through our station), then the simulator publishes reporting flows and the treasury journal.
 * `nodeForPaRequests` records what reached the simulator's nodeForPa endpoint.
 */
export async function startSimulatedPagopa(deps: Deps) {
  const role: RunningRole = await startRole("soap", deps);
  const tenant: Tenant = await makeTenant(deps.db);
  const station = await deps.db.client.station.findUniqueOrThrow({
    where: { id: tenant.stationId },
    include: { intermediary: true },
  });
  const config = simulatorConfigSchema.parse({
    NODO_SIM_STATION_URL: `${role.url}/nodo/paForNode`,
    NODO_SIM_BROKER_PA: station.intermediary.fiscalCode,
    NODO_SIM_STATION_ID: station.code,
    NODO_SIM_DATA_DIR: mkdtempSync(path.join(tmpdir(), "nodo-sim-")),
    PAGOPA_SPECS_DIR: SPECS_DIR,
  });
  const sim = createSimulator(config, () => undefined);
  const nodeForPaRequests: string[] = [];
  const server = http.createServer(sim.app);
  const url = await listen(server);
  // A recording hop in front of the simulator's nodeForPa endpoint (the SOAP client is pointed at it).
  const recorder = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const body = Buffer.concat(chunks).toString("utf8");
      nodeForPaRequests.push(body);
      const answer = await fetch(`${url}/nodo/nodoPerPa`, {
        method: "POST",
        headers: { "content-type": String(req.headers["content-type"] ?? "text/xml") },
        body,
      });
      res.writeHead(answer.status, { "content-type": "text/xml" }).end(await answer.text());
    });
  });
  const nodeForPaUrl = `${await listen(recorder)}/nodo/nodoPerPa`;
  sim.ctx.config.NODO_SIM_PUBLIC_URL = url;

  async function notice(amountCents: number, transfers = 1): Promise<string> {
    const created = await createPosition(
      deps.db,
      tenant,
      {
        debtor: { fiscalCode: "RSSMRA80A01H501U", name: "Mario Rossi" },
        subject: "Servizio di prova",
        single: {
          amountCents,
          dueDate: new Date(Date.now() + 86_400_000 * 30),
          transfers: Array.from({ length: transfers }, (_, i) => ({
            iban: "IT60X0542811101000000123456",
            amountCents: amountCents / transfers,
            taxonomyCode: "9/0101002IM/",
            remittanceText: `Quota ${i + 1}`,
          })),
        },
      },
      { type: "system", id: "test" },
    );
    return created.options[0]!.nav;
  }
  async function pay(nav: string, faults?: object): Promise<{ ok: boolean; payment: { receiptId: string } }> {
    const res = await fetch(`${url}/psp/pay`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ fiscalCode: tenant.fiscalCode, noticeNumber: nav, ...(faults ? { faults } : {}) }),
    });
    return (await res.json()) as { ok: boolean; payment: { receiptId: string } };
  }
  async function publishFlows(date?: string) {
    const res = await fetch(`${url}/admin/fdr/generate`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(date ? { date } : {}),
    });
    return (await res.json()) as Array<{ flowId: string; idPSP: string; totalCents: number; count: number }>;
  }
  return {
    url,
    nodeForPaUrl,
    tenant,
    sim,
    notice,
    pay,
    publishFlows,
    nodeForPaRequests,
    requester: {
      fiscalCode: tenant.fiscalCode,
      stationCode: station.code,
      intermediaryFiscalCode: station.intermediary.fiscalCode,
    },
    async stop() {
      await new Promise((r) => server.close(r));
      await new Promise((r) => recorder.close(r));
      await role.stop();
    },
  };
}
