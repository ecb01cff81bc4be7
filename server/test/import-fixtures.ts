import { randomInt } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import type { Database } from "../platform/db/database.ts";
import { buildNav } from "../pagopa/index.ts";
import { createLogger } from "../platform/observability/logger.ts";
import type { Tenant } from "../generated/prisma/client.ts";

/** ../shared/fixtures/real-world, found next to PAGOPA_SPECS_DIR (tests skip with a message when absent). */
export const REAL_WORLD_DIR = path.resolve(
  process.env.PAGOPA_SPECS_DIR ?? path.resolve(import.meta.dirname, "../../../shared/specs/pagopa"),
  "../../fixtures/real-world",
);
export const realWorldAvailable = (sub: string) => existsSync(path.join(REAL_WORLD_DIR, sub));

export const IBAN_MAIN = "IT60X0542811101000000123456";
export const IBAN_PROVINCE = "IT42L1234512345123456789012";

/**
 * Payment types an import can name: TARI split 95/5 with the province (TEFA), a plain one, and
 * an inactive one; each with its creditor account in force.
 */
export async function seedImportCatalog(db: Database, tenant: Tenant, provinceFiscalCode: string): Promise<void> {
  await db.withTenant(tenant.id, async (tx) => {
    await tx.creditorAccount.createMany({
      data: [{ tenantId: tenant.id, iban: IBAN_MAIN, holder: tenant.name, effectiveFrom: new Date("2020-01-01") }],
    });
    await tx.paymentType.createMany({
      data: [
        {
          tenantId: tenant.id,
          code: "TARI",
          name: "Tassa rifiuti",
          taxonomyCode: "9/0101101IM/",
          defaultTransfers: [
            { accountIban: IBAN_MAIN, shareBasisPoints: 9500 },
            { accountIban: IBAN_PROVINCE, beneficiaryFiscalCode: provinceFiscalCode, shareBasisPoints: 500 },
          ],
        },
        {
          tenantId: tenant.id,
          code: "MENSA",
          name: "Mensa scolastica",
          taxonomyCode: "9/0201133IM/",
          defaultTransfers: [{ accountIban: IBAN_MAIN, shareBasisPoints: 10000 }],
        },
        {
          tenantId: tenant.id,
          code: "VECCHIO",
          name: "Non più in uso",
          taxonomyCode: "9/0201133IM/",
          active: false,
          defaultTransfers: [{ accountIban: IBAN_MAIN, shareBasisPoints: 10000 }],
        },
      ],
    });
  });
}

/** A notice number the council issued itself (below the permuted range), unique per call. */
export function councilNav(tenant: Tenant): string {
  return buildNav({
    auxDigit: 3,
    segregationCode: tenant.segregationCode,
    iuvBase: randomInt(1, 2 ** 47) % 999_999_999_999,
  }).nav;
}

export const silentLogger = createLogger({ level: "silent", role: "test" });

export const importConfig = (chunk = 50) => ({ IMPORT_CHUNK_SIZE: chunk, IMPORT_MAX_BYTES: 50 * 1024 * 1024 });
