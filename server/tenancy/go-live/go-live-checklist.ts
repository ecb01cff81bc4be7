import type { Database } from "../../platform/db/database.ts";
import { dateAsDay, dayAsDate, italianDay, romeDayOf } from "../../platform/rome-day.ts";
import { activationPlan } from "../activation-plan.ts";
import { hasApprovedPreproductionRun } from "../preproduction/index.ts";

export type GoLiveCheckKey =
  | "status"
  | "registry"
  | "accounts"
  | "paymentTypes"
  | "staff"
  | "firstPayment"
  | "preproduction"
  | "station"
  | "date"
  | "pending";

export interface GoLiveCheck {
  key: GoLiveCheckKey;
  /** What must hold, in Italian, as the check list shows it. */
  title: string;
  ok: boolean;
  /** Why it does not hold, in words a helpdesk person can act on; empty when ok. */
  reason: string;
}

/** How far ahead a go-live may be planned: pagoPA's activation plans cover the coming year. */
export const GO_LIVE_MAX_DAYS_AHEAD = 365;

export interface GoLiveRequest {
  /** The production station that will serve the council; absent while the admin has not chosen. */
  liveStationCode?: string;
  /** YYYY-MM-DD, Rome's calendar; absent while the admin has not chosen. */
  effectiveOn?: string;
}

/**
 * Everything that must be true before a council moves from the test station to a production
 * one: the council tested on the test station with a real payment, its registry data, an IBAN in
 * force on the go-live day, a payment type and staff, a production station that authenticates
 * its callers, a day not in the past, no other go-live waiting. Each failed item names what to
 * do, so a refusal is never just "not ready".
 */
export async function goLiveChecklist(
  db: Database,
  tenantId: string,
  request: GoLiveRequest,
  now = new Date(),
): Promise<GoLiveCheck[]> {
  const tenant = await db.client.tenant.findUniqueOrThrow({
    where: { id: tenantId },
    select: { status: true, intermediaryId: true },
  });
  const today = romeDayOf(now);
  const validDay = request.effectiveOn && /^\d{4}-\d{2}-\d{2}$/.test(request.effectiveOn) ? request.effectiveOn : null;
  // Accounts are checked on the go-live day itself: one that starts later would leave the
  // council live with nowhere to credit the money.
  const { steps } = await activationPlan(db, tenantId, validDay && validDay > today ? dayAsDate(validDay) : now);
  const step = (key: string) => steps.find((s) => s.key === key)!;
  const [station, pending, approvedRun] = await Promise.all([
    request.liveStationCode
      ? db.client.station.findUnique({ where: { code: request.liveStationCode } })
      : Promise.resolve(null),
    db.withTenant(tenantId, (tx) => tx.tenantGoLive.findFirst({ where: { tenantId, state: "SCHEDULED" } })),
    hasApprovedPreproductionRun(db, tenantId),
  ]);
  const check = (key: GoLiveCheckKey, title: string, reason: string | null): GoLiveCheck => ({
    key,
    title,
    ok: reason === null,
    reason: reason ?? "",
  });
  return [
    check(
      "status",
      "L'ente è in collaudo",
      tenant.status === "TEST"
        ? null
        : tenant.status === "LIVE"
          ? "l'ente è già in esercizio"
          : "l'ente non è in collaudo: va prima portato in collaudo sulla stazione di test",
    ),
    check(
      "registry",
      "Dati dell'ente completi",
      step("registry").done ? null : "mancano l'e-mail di contatto o il codice CBILL",
    ),
    check(
      "accounts",
      "Conto di accredito in vigore il giorno dell'esercizio",
      step("accounts").done ? null : "nessun IBAN di accredito è in vigore il giorno scelto",
    ),
    check(
      "paymentTypes",
      "Almeno un tipo di pagamento attivo",
      step("paymentTypes").done ? null : "nessun tipo di pagamento attivo",
    ),
    check("staff", "Personale dell'ente", step("staff").done ? null : "nessun amministratore o operatore dell'ente"),
    check(
      "firstPayment",
      "Pagamento di prova riuscito",
      step("firstPayment").done ? null : "nessuna ricevuta positiva in collaudo: esegui un pagamento di prova",
    ),
    check(
      "preproduction",
      "Collaudo automatico superato e verbale approvato",
      approvedRun ? null : "nessun collaudo automatico superato con il verbale approvato dall'ente",
    ),
    check(
      "station",
      "Stazione di produzione protetta",
      stationProblem(request.liveStationCode, station, tenant.intermediaryId),
    ),
    check("date", "Data di entrata in esercizio", dateProblem(request.effectiveOn, validDay, today)),
    check(
      "pending",
      "Nessun altro passaggio in attesa",
      pending ? `è già previsto il passaggio in esercizio dal ${italianDay(dateAsDay(pending.effectiveOn))}` : null,
    ),
  ];
}

function stationProblem(
  code: string | undefined,
  station: {
    environment: string;
    enabled: boolean;
    intermediaryId: string;
    clientCertFingerprint: string | null;
    subscriptionKeyHash: string | null;
  } | null,
  intermediaryId: string,
): string | null {
  if (!code) return "scegli la stazione di produzione";
  if (!station) return `la stazione ${code} non esiste`;
  if (station.intermediaryId !== intermediaryId) return `la stazione ${code} è di un altro intermediario`;
  if (station.environment !== "PROD") return `la stazione ${code} è di test, non di produzione`;
  if (!station.enabled) return `la stazione ${code} è disattivata`;
  // In production the station refuses to serve without caller authentication (issue 13): a
  // council moved onto such a station would be unreachable.
  if (!station.clientCertFingerprint && !station.subscriptionKeyHash)
    return `la stazione ${code} non autentica chi la chiama (impronta del certificato o chiave di sottoscrizione)`;
  return null;
}

function dateProblem(input: string | undefined, validDay: string | null, today: string): string | null {
  if (!input) return "scegli la data";
  if (!validDay || dateAsDay(dayAsDate(validDay)) !== validDay) return "data non valida (aaaa-mm-gg)";
  if (validDay < today) return `la data è passata: al più presto oggi, ${italianDay(today)}`;
  const last = dateAsDay(new Date(dayAsDate(today).getTime() + GO_LIVE_MAX_DAYS_AHEAD * 86_400_000));
  if (validDay > last) return `la data è troppo lontana: al più tardi il ${italianDay(last)}`;
  return null;
}
