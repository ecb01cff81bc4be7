import { randomInt } from "node:crypto";
import type { Database } from "../platform/db/database.ts";
import type { Tenant } from "../generated/prisma/client.ts";

/** An 11-digit number with a valid Italian check digit, computed independently of pagopa/. */
export function fakeOrgFiscalCode(): string {
  const digits = Array.from({ length: 10 }, () => randomInt(10));
  const sum = digits.reduce((acc, d, i) => {
    if (i % 2 === 0) return acc + d;
    const doubled = d * 2;
    return acc + (doubled > 9 ? doubled - 9 : doubled);
  }, 0);
  return digits.join("") + String((10 - (sum % 10)) % 10);
}

let segregationCounter = 0;

/** An intermediary with one PROD station and a LIVE tenant; codes are unique per call. */
export async function makeTenant(db: Database, overrides: Partial<Tenant> = {}): Promise<Tenant> {
  const intermediary = await db.client.intermediary.create({
    data: { fiscalCode: fakeOrgFiscalCode(), name: "Regione di prova" },
  });
  const station = await db.client.station.create({
    data: { intermediaryId: intermediary.id, code: `${intermediary.fiscalCode}_01`, environment: "PROD" },
  });
  segregationCounter = (segregationCounter + 1) % 40;
  return db.client.tenant.create({
    data: {
      intermediaryId: intermediary.id,
      stationId: station.id,
      fiscalCode: fakeOrgFiscalCode(),
      ipaCode: `c_t${randomInt(1e9).toString(36)}`,
      name: "Comune di Prova",
      segregationCode: String(segregationCounter + 1).padStart(2, "0"),
      status: "LIVE",
      cbill: "A1B2C",
      ...overrides,
    } as never,
  });
}
