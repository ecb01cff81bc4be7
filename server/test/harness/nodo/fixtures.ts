// Tenants and notices for the station's integration tests, through the platform's own use cases.
import { createHash, randomUUID } from "node:crypto";
import type { Database } from "../../../platform/db/database.ts";
import { createPosition, type CreatePositionInput } from "../../../positions/index.ts";
import { fakeOrgFiscalCode, makeTenant } from "../../factories.ts";
import type { Tenant } from "../../../generated/prisma/client.ts";
import type { Routing } from "./soap-requests.ts";

export const IBAN = "IT68D0306912345100000012345";
export const POSTAL_IBAN = "IT78N0760103200001012345678";
export const PROVINCE_IBAN = "IT62L0200860110000000778899";
export const OTHER_IBAN = "IT91Z0503411701000000004321";
export const TAXONOMY = "9/0101101IM/";
export const DEBTOR = {
  fiscalCode: "RSSMRA80A01H501U",
  name: "Mario Rossi",
  email: "mario.rossi@example.org",
  address: "Via dei Tigli 4",
  city: "Borgo",
  postalCode: "00100",
  province: "RM",
};

export interface StationTenant {
  tenant: Tenant;
  routing: Routing;
}

export async function makeStationTenant(db: Database, overrides: Partial<Tenant> = {}): Promise<StationTenant> {
  const tenant = await makeTenant(db, { sector: "Settore Tributi", ...overrides });
  const [station, intermediary] = await Promise.all([
    db.client.station.findUniqueOrThrow({ where: { id: tenant.stationId } }),
    db.client.intermediary.findUniqueOrThrow({ where: { id: tenant.intermediaryId } }),
  ]);
  return { tenant, routing: { idPA: tenant.fiscalCode, idBrokerPA: intermediary.fiscalCode, idStation: station.code } };
}

const inDays = (n: number) => new Date(Date.now() + n * 86_400_000);
const transfer = (amountCents: number, over: Record<string, unknown> = {}) => ({
  iban: IBAN,
  amountCents,
  taxonomyCode: TAXONOMY,
  remittanceText: "Pagamento di prova",
  ...over,
});

async function create(db: Database, tenant: Tenant, input: Partial<CreatePositionInput>) {
  return createPosition(
    db,
    tenant,
    {
      debtor: { type: "F", ...DEBTOR },
      subject: "Tassa di prova",
      externalId: randomUUID(),
      ...input,
    } as CreatePositionInput,
    { type: "system", id: "test" },
  );
}

/** One notice of `cents` credited to one bank IBAN. */
export async function singleNotice(
  db: Database,
  tenant: Tenant,
  cents = 12_345,
  extra: Partial<CreatePositionInput> = {},
) {
  const p = await create(db, tenant, {
    single: { amountCents: cents, dueDate: inDays(30), transfers: [transfer(cents)] },
    ...extra,
  });
  return p.options[0]!;
}

/** A plan of `n` installments of 50.00 each (and no single option). */
export async function installmentNotices(db: Database, tenant: Tenant, n = 3) {
  const p = await create(db, tenant, {
    installments: Array.from({ length: n }, (_, i) => ({
      amountCents: 5_000,
      dueDate: inDays(30 * (i + 1)),
      transfers: [transfer(5_000)],
    })),
  });
  return { positionId: p.id, options: p.options };
}

/** Five transfers: the council's bank and postal accounts, two other bodies, and an @e.bollo. */
export async function multiBeneficiaryNotice(db: Database, tenant: Tenant) {
  const stampHash = createHash("sha256").update("documento di prova").digest("base64");
  const p = await create(db, tenant, {
    single: {
      amountCents: 30_600,
      dueDate: inDays(30),
      transfers: [
        transfer(10_000),
        transfer(5_000, { iban: POSTAL_IBAN, isPostalIban: true, remittanceText: "Quota su conto postale" }),
        transfer(7_000, {
          iban: PROVINCE_IBAN,
          beneficiaryFiscalCode: "00987654324",
          taxonomyCode: "9/0201102IM/",
          metadata: [{ key: "capitolo", value: "3010" }],
        }),
        transfer(7_000, {
          iban: OTHER_IBAN,
          beneficiaryFiscalCode: fakeOrgFiscalCode(),
          remittanceText: "Quota altro ente",
        }),
        {
          amountCents: 1_600,
          taxonomyCode: "9/0101108TS/",
          remittanceText: "Imposta di bollo",
          stamp: { type: "01", documentHash: stampHash, province: "RM" },
        },
      ],
    },
  });
  return p.options[0]!;
}

/** A notice whose every transfer goes to a postal IBAN (allCCP = true). */
export async function postalNotice(db: Database, tenant: Tenant) {
  const p = await create(db, tenant, {
    single: {
      amountCents: 2_000,
      dueDate: inDays(30),
      transfers: [
        transfer(1_500, { iban: POSTAL_IBAN, isPostalIban: true }),
        transfer(500, { iban: POSTAL_IBAN, isPostalIban: true }),
      ],
    },
  });
  return p.options[0]!;
}

/** Row counts of the business tables, to show a request stored nothing. */
export async function businessRowCounts(db: Database) {
  return db.withPlatformScope("test: row counts", async (tx) => ({
    positions: await tx.debtPosition.count(),
    options: await tx.paymentOption.count(),
    receipts: await tx.receipt.count(),
    lockedOptions: await tx.paymentOption.count({ where: { paymentToken: { not: null } } }),
  }));
}
