import { stringify } from "csv-stringify/sync";
import type { Database } from "../../platform/db/database.ts";
import type { Actor } from "../../audit/index.ts";
import { AppError } from "../../platform/errors.ts";
import { dateAsDay } from "../../platform/rome-day.ts";
import { informationSchema } from "./record-information.ts";
import { completeStep, loadRequest, platformScope } from "./transition.ts";

/** The columns of the activation plan export, in order (documented in docs/architecture.md). */
export const ACTIVATION_PLAN_COLUMNS = [
  "codice_fiscale_ente",
  "denominazione_ente",
  "codice_ipa",
  "codice_stazione",
  "codice_segregazione",
  "servizio",
  "codice_tassonomia",
  "modello_pagamento",
  "data_inizio",
  "iban_accredito",
] as const;

/**
 * The activation plan as pagoPA's onboarding asks for it: one row per service the council will
 * collect, with its taxonomy code, payment model (base / flows / gateway) and start day, plus
 * the council's station, segregation code and the creditor account in force from that day.
 * Semicolon-separated UTF-8 CSV with a header (Italian spreadsheets open it as is).
 * @throws AppError ADHESION_WRONG_STEP when the information form or the tenant is missing
 */
export async function activationPlanCsv(db: Database, ipaCode: string): Promise<{ fileName: string; csv: string }> {
  return platformScope(db, "export the activation plan", async (tx) => {
    const r = await loadRequest(tx, ipaCode);
    const info = informationSchema.safeParse(r.information);
    if (!info.success || !r.tenantId)
      throw new AppError(
        "ADHESION_WRONG_STEP",
        "Il piano di attivazione richiede la scheda informativa e l'ente creato",
        409,
      );
    const tenant = await tx.tenant.findUniqueOrThrow({
      where: { id: r.tenantId },
      select: { segregationCode: true, station: { select: { code: true } } },
    });
    const accounts = await tx.creditorAccount.findMany({
      where: { tenantId: r.tenantId, effectiveTo: null },
      orderBy: { effectiveFrom: "asc" },
      select: { iban: true },
    });
    const rows = info.data.services.map((s) => [
      r.fiscalCode,
      r.name,
      r.ipaCode,
      tenant.station.code,
      tenant.segregationCode,
      s.name,
      s.taxonomyCode,
      s.model,
      info.data.fromDate,
      accounts[0]?.iban ?? "",
    ]);
    return {
      fileName: `piano-attivazione-${r.ipaCode}.csv`,
      csv: stringify(rows, { header: true, columns: [...ACTIVATION_PLAN_COLUMNS], delimiter: ";" }),
    };
  });
}

/** The Region confirms the plan was sent to pagoPA: the adhesion is complete, the council in TEST. Audited. */
export async function completeAdhesion(db: Database, ipaCode: string, actor: Actor, now = new Date()) {
  return platformScope(db, "plan sent, adhesion complete", async (tx) =>
    completeStep(tx, await loadRequest(tx, ipaCode), "PLAN", {}, actor, { planSentOn: dateAsDay(now) }),
  );
}
