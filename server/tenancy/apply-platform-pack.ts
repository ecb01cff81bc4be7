import type { Database } from "../platform/db/database.ts";
import { createPosition } from "../positions/index.ts";
import { platformPackSchema, type PlatformPack } from "./pack.schema.ts";
import type { Actor } from "../audit/index.ts";

export interface PackReport {
  tenants: number;
  paymentTypes: number;
  accounts: number;
  positionsCreated: number;
  positionsKept: number;
}

/**
 * Applies a platform pack (intermediary, stations, tenants, catalog, positions) idempotently:
 * codes are the keys, existing rows are updated in place, positions are created once per
 * externalId. Tenant-owned rows are written inside each tenant's RLS scope.
 */
export async function applyPlatformPack(db: Database, input: PlatformPack, actor: Actor): Promise<PackReport> {
  const pack = platformPackSchema.parse(input);
  const report: PackReport = { tenants: 0, paymentTypes: 0, accounts: 0, positionsCreated: 0, positionsKept: 0 };
  const intermediary = await db.client.intermediary.upsert({
    where: { fiscalCode: pack.intermediary.fiscalCode },
    create: pack.intermediary,
    update: { name: pack.intermediary.name },
  });
  const stations = new Map<string, string>();
  for (const s of pack.stations) {
    const station = await db.client.station.upsert({
      where: { code: s.code },
      create: { ...s, intermediaryId: intermediary.id },
      update: { environment: s.environment, description: s.description },
    });
    stations.set(s.code, station.id);
  }

  await db.withPlatformScope("platform pack: the Region's catalogue of standard services", async (tx) => {
    for (const st of pack.serviceTemplates) {
      const data = {
        name: st.name,
        description: st.description ?? null,
        taxonomyCode: st.taxonomyCode,
        formDefinition: (st.formDefinition ?? undefined) as object | undefined,
        amountRule: (st.amountRule ?? undefined) as object | undefined,
        tariffs: st.tariffs,
        published: st.published,
      };
      await tx.serviceTemplate.upsert({ where: { code: st.code }, create: { code: st.code, ...data }, update: data });
    }
  });

  for (const t of pack.tenants) {
    const stationId = stations.get(t.stationCode);
    if (!stationId) throw new Error(`Tenant ${t.ipaCode}: unknown station ${t.stationCode}`);
    const fields = {
      ipaCode: t.ipaCode,
      name: t.name,
      sector: t.sector ?? null,
      info: t.info ?? null,
      segregationCode: t.segregationCode,
      cbill: t.cbill ?? null,
      postalAccount: t.postalAccount ?? null,
      status: t.status,
      contactEmail: t.contactEmail ?? null,
      branding: t.branding,
      stationId,
    };
    const tenant = await db.client.tenant.upsert({
      where: { fiscalCode: t.fiscalCode },
      create: { fiscalCode: t.fiscalCode, intermediaryId: intermediary.id, ...fields },
      update: fields,
    });
    report.tenants++;

    await db.withTenant(tenant.id, async (tx) => {
      for (const a of t.accounts) {
        const existing = await tx.creditorAccount.findFirst({ where: { tenantId: tenant.id, iban: a.iban } });
        if (!existing) await tx.creditorAccount.create({ data: { tenantId: tenant.id, ...a } });
        report.accounts++;
      }
      for (const p of t.paymentTypes) {
        const data = {
          name: p.name,
          description: p.description ?? null,
          taxonomyCode: p.taxonomyCode,
          accountingChapter: p.accountingChapter ?? null,
          defaultTransfers: p.defaultTransfers,
          availableOnPortal: p.availableOnPortal,
          availableAtCounter: p.availableAtCounter,
          availableAtPsp: p.availableAtPsp,
          // Validated by the pack schema above; stored as JSON.
          formDefinition: (p.formDefinition ?? undefined) as object | undefined,
          amountRule: (p.amountRule ?? undefined) as object | undefined,
        };
        await tx.paymentType.upsert({
          where: { tenantId_code: { tenantId: tenant.id, code: p.code } },
          create: { tenantId: tenant.id, code: p.code, ...data },
          update: data,
        });
        report.paymentTypes++;
      }
      for (const position of t.positions) {
        const exists = await tx.debtPosition.findUnique({
          where: { tenantId_externalId: { tenantId: tenant.id, externalId: position.externalId } },
          select: { id: true },
        });
        if (exists) {
          report.positionsKept++;
          continue;
        }
        await createPosition(db, tenant, position, actor, { tx });
        report.positionsCreated++;
      }
    });
  }
  return report;
}
