import type { Database } from "../platform/db/database.ts";
import { dayAsDate, romeDayOf } from "../platform/rome-day.ts";

export interface ActivationStep {
  key: "registry" | "accounts" | "paymentTypes" | "staff" | "testing" | "firstPayment" | "live";
  title: string;
  done: boolean;
  /** What is missing, in words for the council's admin. */
  hint: string;
}

/**
 * The road from onboarding to live for one council, computed from what is configured (nothing
 * to tick by hand, so it cannot drift from reality): registry data, a creditor account in force,
 * an active payment type, an operator or admin, the station's test phase, a first receipt, live.
 */
export async function activationPlan(
  db: Database,
  tenantId: string,
  now = new Date(),
): Promise<{ steps: ActivationStep[]; done: number }> {
  const tenant = await db.client.tenant.findUniqueOrThrow({
    where: { id: tenantId },
    select: { status: true, contactEmail: true, cbill: true },
  });
  // Accounts are in force by calendar day in Rome (a `date` column): compared with that day, not
  // with the instant, which PostgreSQL would truncate to its UTC day.
  const today = dayAsDate(romeDayOf(now));
  const [accounts, types, staff, receipts] = await db.withTenant(tenantId, (tx) =>
    Promise.all([
      tx.creditorAccount.count({
        where: {
          tenantId,
          effectiveFrom: { lte: today },
          OR: [{ effectiveTo: null }, { effectiveTo: { gte: today } }],
        },
      }),
      tx.paymentType.count({ where: { tenantId, active: true } }),
      tx.membership.count({ where: { tenantId, role: { in: ["OPERATOR", "TENANT_ADMIN"] } } }),
      tx.receipt.count({ where: { tenantId, outcome: "OK" } }),
    ]),
  );
  const testedOrLive = tenant.status === "TEST" || tenant.status === "LIVE";
  const steps: ActivationStep[] = [
    {
      key: "registry",
      title: "Dati dell'ente",
      done: Boolean(tenant.contactEmail && tenant.cbill),
      hint: "Servono l'e-mail di contatto e il codice CBILL: li inserisce la Regione.",
    },
    {
      key: "accounts",
      title: "Conto di accredito in vigore",
      done: accounts > 0,
      hint: "Aggiungi almeno un conto (decorrenza ad almeno 7 giorni).",
    },
    {
      key: "paymentTypes",
      title: "Tipi di pagamento",
      done: types > 0,
      hint: "Configura almeno un tipo di pagamento con il suo codice tassonomico.",
    },
    {
      key: "staff",
      title: "Personale",
      done: staff > 0,
      hint: "Almeno un amministratore o operatore deve aver effettuato l'accesso.",
    },
    {
      key: "testing",
      title: "Collaudo con pagoPA",
      done: testedOrLive,
      hint: "La Regione porta l'ente in collaudo sulla stazione di test.",
    },
    {
      key: "firstPayment",
      title: "Primo pagamento ricevuto",
      done: receipts > 0,
      hint: "Esegui un pagamento di prova e verifica la ricevuta.",
    },
    {
      key: "live",
      title: "In esercizio",
      done: tenant.status === "LIVE",
      hint: "La Regione attiva l'ente in esercizio.",
    },
  ];
  return { steps, done: steps.filter((s) => s.done).length };
}
