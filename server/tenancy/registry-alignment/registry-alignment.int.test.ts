import http from "node:http";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createSimulator } from "../../../infra/nodo-simulator/app.ts";
import { simulatorConfigSchema } from "../../../infra/nodo-simulator/config.ts";
import type { Registry } from "../../../infra/nodo-simulator/backoffice/registry.ts";
import { Database } from "../../platform/db/database.ts";
import { createPagopaRegistryClient } from "../../nodo/backoffice/index.ts";
import { fakeOrgFiscalCode, makeTenant } from "../../test/factories.ts";
import type { OutgoingMail } from "../../platform/mail/mailer.ts";
import { compareWithPagopa } from "./compare-with-pagopa.ts";
import { remindIbanChanges } from "./remind-iban-changes.ts";

const KEY = "chiave-backoffice";
const specs = path.resolve(process.env.PAGOPA_SPECS_DIR ?? "../shared/specs/pagopa");
const openapi = path.join(specs, "openapi/openapi_backoffice_external_ec.json");
const many = Array.from({ length: 101 }, (_, i) => ({
  taxCode: String(10_000_000_000 + i),
  companyName: `Ente ${i}`,
  brokerTaxCode: "99999999999",
  brokerCompanyName: "Broker di prova",
  stationId: "99999999999_01",
}));
const IBAN_A = "IT60X0542811101000000123456";
const IBAN_B = "IT91Z0503411701000000004321";

describe("alignment with pagoPA's registry, read from the simulator's back-office API", () => {
  const db = new Database({ url: inject("databaseUrl") });
  let server: http.Server;
  let base: string;
  let broker: string;
  const client = () =>
    createPagopaRegistryClient({
      baseUrl: `${base}/backoffice/external/ec/v1`,
      subscriptionKey: KEY,
      timeoutMs: 5_000,
    });
  const setRegistry = (registry: Registry) =>
    fetch(`${base}/admin/registry`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(registry),
    });

  beforeAll(async () => {
    const config = simulatorConfigSchema.parse({
      NODO_SIM_DATA_DIR: mkdtempSync(path.join(tmpdir(), "nodo-sim-registry-")),
      NODO_SIM_BACKOFFICE_KEY: KEY,
      PAGOPA_SPECS_DIR: specs,
    });
    server = http.createServer(createSimulator(config, () => undefined).app);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await db.close();
  });

  it("names each planted difference: an IBAN pagoPA lacks, one only pagoPA has, a station, a council unknown on either side", async () => {
    const live = await makeTenant(db, { name: "Comune Allineato", contactEmail: "x@comune.example" });
    broker = (await db.client.intermediary.findUniqueOrThrow({ where: { id: live.intermediaryId } })).fiscalCode;
    const station = await db.client.station.findUniqueOrThrow({ where: { id: live.stationId } });
    const same = { intermediaryId: live.intermediaryId, stationId: live.stationId } as never;
    const wrongIban = await makeTenant(db, { ...(same as object), name: "Comune IBAN", segregationCode: "41" });
    const unknown = await makeTenant(db, { ...(same as object), name: "Comune Sconosciuto", segregationCode: "42" });
    const onboarding = await makeTenant(db, {
      ...(same as object),
      status: "ONBOARDING",
      segregationCode: "43",
    } as never);
    await db.withPlatformScope("test", async (tx) => {
      for (const t of [live, wrongIban, unknown, onboarding])
        await tx.creditorAccount.create({
          data: {
            tenantId: t.id,
            iban: t === wrongIban ? IBAN_B : IBAN_A,
            holder: t.name,
            effectiveFrom: new Date("2026-01-01"),
          },
        });
    });
    const ci = (t: typeof live, extra: object = {}) => ({
      taxCode: t.fiscalCode,
      companyName: t.name,
      brokerTaxCode: broker,
      brokerCompanyName: "Regione di prova",
      stationId: station.code,
      segregationCode: t.segregationCode,
      auxDigit: "3",
      cbillCode: t.cbill ?? undefined,
      ...extra,
    });
    const stranger = fakeOrgFiscalCode();
    const iban = (t: typeof live, value: string) => ({
      ciFiscalCode: t.fiscalCode,
      ciName: t.name,
      iban: value,
      validityDate: "2025-12-31T23:00:00Z",
    });
    expect(
      (
        await setRegistry({
          institutions: [
            ci(live),
            ci(wrongIban, { stationId: `${broker}_77` }),
            { ...ci(live), taxCode: stranger, companyName: "Ente Estraneo" },
          ],
          ibans: [iban(live, IBAN_A), iban(wrongIban, IBAN_A)],
        } as Registry)
      ).status,
    ).toBe(200);

    const [mine] = await compareWithPagopa(db, client(), {
      intermediaryFiscalCode: broker,
      now: new Date("2026-12-03T09:00:00Z"),
    });
    const byName = Object.fromEntries(
      mine!.councils.map((c) => [c.name, c.differences.map((d) => `${d.kind}: ${d.text}`)]),
    );
    expect(byName).toEqual({
      "Comune IBAN": [
        `station: Stazione: in PontePA ${station.code}, presso pagoPA ${broker}_77`,
        `iban-missing-at-pagopa: IBAN ${IBAN_B} (dal 01/01/2026) non registrato presso pagoPA: i pagamenti su questo conto saranno rifiutati`,
        `iban-only-at-pagopa: IBAN ${IBAN_A} attivo presso pagoPA ma non in vigore in PontePA`,
      ],
      "Comune Sconosciuto": [
        "not-at-pagopa: pagoPA non conosce l'ente per questo intermediario: va registrato nel back-office pagoPA",
      ],
      "Ente Estraneo": ["not-here: pagoPA associa l'ente a questo intermediario, ma PontePA non lo gestisce"],
    });
    // The live council matches and the onboarding one is not expected at pagoPA yet.
    expect(mine!.aligned).toBe(2);
  });

  it("reads every page (101 councils), sends the subscription key, reads a 404 as no council", async () => {
    await setRegistry({ institutions: many, ibans: [] } as unknown as Registry);
    expect(await client().institutions("99999999999")).toHaveLength(101);
    const noKey = createPagopaRegistryClient({ baseUrl: `${base}/backoffice/external/ec/v1`, timeoutMs: 5_000 });
    await expect(noKey.institutions("99999999999")).rejects.toMatchObject({ code: "PAGOPA_REGISTRY_REJECTED" });
    // No council for a broker: 404 by the contract, read as none.
    expect(await client().institutions("11111111111")).toEqual([]);
  });

  it.skipIf(!existsSync(openapi))(`answers with the fields the official contract requires (${openapi})`, async () => {
    await setRegistry({ institutions: many, ibans: [] } as unknown as Registry);
    const spec = JSON.parse(readFileSync(openapi, "utf8")) as {
      components: { schemas: Record<string, { required?: string[] }> };
    };
    const page = (await (
      await fetch(`${base}/backoffice/external/ec/v1/brokers/99999999999/creditor_institutions?page=1&limit=100`, {
        headers: { "Ocp-Apim-Subscription-Key": KEY },
      })
    ).json()) as { creditorInstitutions: Record<string, unknown>[]; pageInfo: Record<string, unknown> };
    expect(Object.keys(page).sort()).toEqual([...spec.components.schemas.BrokerInstitutionsResponse!.required!].sort());
    expect(Object.keys(page.pageInfo)).toEqual(expect.arrayContaining(spec.components.schemas.PageInfo!.required!));
    expect(page.pageInfo).toMatchObject({ page: 1, limit: 100, totalElements: 101, totalPages: 2 });
    expect(Object.keys(page.creditorInstitutions[0]!)).toEqual(
      expect.arrayContaining(spec.components.schemas.BrokerInstitutionResource!.required!),
    );
  });

  it("reminds the council once, 7 days before a new IBAN takes effect, naming the one it replaces", async () => {
    const t = await makeTenant(db, { name: "Comune del Promemoria", contactEmail: "ragioneria@promemoria.example" });
    await db.withPlatformScope("test", async (tx) => {
      await tx.creditorAccount.create({
        data: {
          tenantId: t.id,
          iban: IBAN_A,
          holder: t.name,
          effectiveFrom: new Date("2025-01-01"),
          effectiveTo: new Date("2026-12-09"),
        },
      });
      await tx.creditorAccount.create({
        data: { tenantId: t.id, iban: IBAN_B, holder: t.name, effectiveFrom: new Date("2026-12-10") },
      });
    });
    const sent: OutgoingMail[] = [];
    const mailer = { send: async (m: OutgoingMail) => void sent.push(m) };
    const logger = pino({ level: "silent" });
    const mine = () => sent.filter((m) => m.to === "ragioneria@promemoria.example");
    // 8 days before (Rome): nothing yet; 7 days before: once; again: nothing.
    await remindIbanChanges(db, mailer, logger, new Date("2026-12-02T10:00:00Z"));
    expect(mine()).toHaveLength(0);
    await remindIbanChanges(db, mailer, logger, new Date("2026-12-03T10:00:00Z"));
    await remindIbanChanges(db, mailer, logger, new Date("2026-12-03T11:00:00Z"));
    expect(mine().map((m) => m.subject)).toEqual([
      "Nuovo IBAN di accredito dal 10/12/2026: verifica la registrazione presso pagoPA",
    ]);
    expect(mine()[0]!.text).toContain(`sull'IBAN ${IBAN_B}, che sostituisce ${IBAN_A}`);
  });
});
