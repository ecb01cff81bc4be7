import type { Database } from "../../platform/db/database.ts";
import { dayAsDate, romeDayOf } from "../../platform/rome-day.ts";
import type { CreatePositionInput } from "../../positions/index.ts";

/** What the scripted payments need from the council's configuration. */
export interface RunPrerequisites {
  tenant: {
    id: string;
    fiscalCode: string;
    segregationCode: string;
    auxDigit: number;
    status: string;
    name: string;
  };
  stationCode: string;
  iban: string;
  isPostalIban: boolean;
  paymentTypeCode: string;
  taxonomyCode: string;
  /** The secondary body of the multi-beneficiary payment: the intermediary (the Region). */
  secondary: { fiscalCode: string; name: string };
}

/**
 * An IBAN pagoPA's test environment accepts for a secondary beneficiary: the standard example
 * account (valid check digits). Test notices only; nothing is ever credited in pre-production.
 */
export const SECONDARY_TEST_IBAN = "IT60X0542811101000000123456";

/** The council's data a run needs, or the Italian reason it cannot run yet. */
export async function loadRunPrerequisites(
  db: Database,
  tenantId: string,
  now: Date,
): Promise<RunPrerequisites | { missing: string }> {
  const tenant = await db.client.tenant.findUniqueOrThrow({
    where: { id: tenantId },
    include: { station: { select: { code: true } }, intermediary: { select: { fiscalCode: true, name: true } } },
  });
  if (tenant.status !== "TEST") return { missing: "l'ente non è in collaudo sulla stazione di test" };
  const today = dayAsDate(romeDayOf(now));
  const [account, type] = await db.withTenant(tenantId, (tx) =>
    Promise.all([
      tx.creditorAccount.findFirst({
        where: {
          tenantId,
          effectiveFrom: { lte: today },
          OR: [{ effectiveTo: null }, { effectiveTo: { gte: today } }],
        },
        orderBy: { effectiveFrom: "desc" },
      }),
      tx.paymentType.findFirst({ where: { tenantId, active: true }, orderBy: { code: "asc" } }),
    ]),
  );
  if (!account) return { missing: "nessun conto di accredito è in vigore oggi" };
  if (!type) return { missing: "nessun tipo di pagamento è attivo" };
  return {
    tenant: {
      id: tenant.id,
      fiscalCode: tenant.fiscalCode,
      segregationCode: tenant.segregationCode,
      auxDigit: tenant.auxDigit,
      status: tenant.status,
      name: tenant.name,
    },
    stationCode: tenant.station.code,
    iban: account.iban,
    isPostalIban: account.isPostal,
    paymentTypeCode: type.code,
    taxonomyCode: type.taxonomyCode,
    secondary: { fiscalCode: tenant.intermediary.fiscalCode, name: tenant.intermediary.name },
  };
}

/** A test position of the run: one option of `cents`, on the council's own account (and the Region's when split). */
export function testPosition(
  p: RunPrerequisites,
  runId: string,
  key: string,
  cents: number,
  options: { expiresAt?: Date; split?: boolean; now: Date },
): CreatePositionInput {
  const transfer = (amountCents: number) => ({
    amountCents,
    taxonomyCode: p.taxonomyCode,
    remittanceText: `Collaudo PontePA ${key}`,
    iban: p.iban,
    isPostalIban: p.isPostalIban,
  });
  const own = options.split ? Math.ceil(cents / 2) : cents;
  return {
    externalId: `COLLAUDO-${runId.slice(-12)}-${key}`,
    paymentTypeCode: p.paymentTypeCode,
    origin: "API",
    subject: `Collaudo automatico: ${key}`,
    debtor: { type: "F", fiscalCode: "ANONIMO", name: "Collaudo automatico" },
    single: {
      amountCents: cents,
      dueDate: options.now,
      ...(options.expiresAt ? { expiresAt: options.expiresAt } : {}),
      transfers: options.split
        ? [
            transfer(own),
            {
              amountCents: cents - own,
              taxonomyCode: p.taxonomyCode,
              remittanceText: `Collaudo PontePA ${key} (quota ${p.secondary.name})`.slice(0, 140),
              beneficiaryFiscalCode: p.secondary.fiscalCode,
              iban: SECONDARY_TEST_IBAN,
              isPostalIban: false,
            },
          ]
        : [transfer(cents)],
    },
  };
}
