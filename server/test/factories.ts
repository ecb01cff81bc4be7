import { createHash, randomInt, randomUUID } from "node:crypto";
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

/**
 * A council in test with everything going live needs (contact, CBILL, an IBAN in force since
 * 2026-01-01, an active payment type, an operator, a successful test receipt, an approved
 * pre-production run), on a TEST station,
 * with a production station of the same intermediary that authenticates callers by key.
 */
export async function makeCouncilReadyToGoLive(
  db: Database,
  overrides: Partial<Tenant> = {},
): Promise<{ t: Tenant; testStation: string; liveStation: string }> {
  const t = await makeTenant(db, { status: "TEST", contactEmail: "protocollo@comune.example", ...overrides });
  const test = await db.client.station.update({ where: { id: t.stationId }, data: { environment: "TEST" } });
  const live = await db.client.station.create({
    data: {
      intermediaryId: t.intermediaryId,
      code: `${test.code.slice(0, 11)}_90`,
      environment: "PROD",
      subscriptionKeyHash: createHash("sha256").update("chiave").digest("hex"),
    },
  });
  await db.withPlatformScope("test: a council ready to go live", async (tx) => {
    await tx.creditorAccount.create({
      data: {
        tenantId: t.id,
        iban: "IT60X0542811101000000123456",
        holder: t.name,
        effectiveFrom: new Date("2026-01-01"),
      },
    });
    await tx.paymentType.create({
      data: { tenantId: t.id, code: "MENSA", name: "Mensa", taxonomyCode: "9/0101100IM/" },
    });
    const user = await tx.staffUser.create({ data: { subject: `sub-${randomUUID()}` } });
    await tx.membership.create({ data: { tenantId: t.id, userId: user.id, role: "OPERATOR" } });
    await tx.receipt.create({
      data: {
        tenantId: t.id,
        receiptId: randomUUID().replaceAll("-", ""),
        nav: "301000000000000013",
        iuv: "01000000000000013",
        outcome: "OK",
        amountCents: 100,
        pspId: "PSP_TEST",
        accessToken: randomUUID(),
      },
    });
    await tx.preproductionRun.create({
      data: {
        tenantId: t.id,
        state: "PASSED",
        requestedBy: "test",
        finishedAt: new Date(),
        approvedAt: new Date(),
        approvedBy: "test",
      },
    });
  });
  return { t, testStation: test.code, liveStation: live.code };
}

/** A one-payment position of 1 € to the council's IBAN, for tests of the creation paths. */
export function onePaymentPosition(subject: string, externalId?: string) {
  return {
    ...(externalId ? { externalId } : {}),
    debtor: { fiscalCode: "RSSMRA80A01H501U", name: "Mario Rossi" },
    subject,
    single: {
      amountCents: 100,
      dueDate: new Date("2027-01-31"),
      transfers: [
        {
          iban: "IT60X0542811101000000123456",
          amountCents: 100,
          taxonomyCode: "9/0101002IM/",
          remittanceText: "Tributo",
        },
      ],
    },
  };
}
