import type { Database } from "../../platform/db/database.ts";
import { dateAsDay, italianDay, romeDayOf } from "../../platform/rome-day.ts";
import type { PagopaIban, PagopaInstitution, PagopaRegistry } from "../../pagopa/index.ts";

export interface RegistryDifference {
  /** Stable key for tests and styling: what kind of difference it is. */
  kind:
    | "not-at-pagopa"
    | "not-here"
    | "station"
    | "segregation-code"
    | "aux-digit"
    | "cbill"
    | "disabled-at-pagopa"
    | "iban-missing-at-pagopa"
    | "iban-date"
    | "iban-disabled-at-pagopa"
    | "iban-only-at-pagopa";
  /** In Italian, naming both sides. */
  text: string;
}

export interface CouncilAlignment {
  fiscalCode: string;
  name: string;
  ipaCode: string | null;
  differences: RegistryDifference[];
}

export interface RegistryAlignment {
  intermediary: { fiscalCode: string; name: string };
  councils: CouncilAlignment[];
  /** Councils checked with nothing to report. */
  aligned: number;
}

type Council = {
  fiscalCode: string;
  name: string;
  ipaCode: string;
  status: string;
  segregationCode: string;
  auxDigit: number;
  cbill: string | null;
  station: { code: string };
  creditorAccounts: Array<{ iban: string; effectiveFrom: Date; effectiveTo: Date | null }>;
};

/**
 * Compares what PontePA holds for each council of each intermediary (station link, segregation
 * code, aux digit, CBILL, IBANs in force or coming) with what pagoPA's back-office knows. A
 * council still onboarding is not expected at pagoPA yet; any difference for the others is a
 * payment that would fail or money credited to the wrong account.
 */
export async function compareWithPagopa(
  db: Database,
  registry: PagopaRegistry,
  options: { intermediaryFiscalCode?: string; now?: Date } = {},
): Promise<RegistryAlignment[]> {
  const today = romeDayOf(options.now ?? new Date());
  const intermediaries = await db.withPlatformScope("platform admin: registry alignment with pagoPA", (tx) =>
    tx.intermediary.findMany({
      where: options.intermediaryFiscalCode ? { fiscalCode: options.intermediaryFiscalCode } : {},
      orderBy: { name: "asc" },
      include: {
        tenants: {
          orderBy: { name: "asc" },
          include: { station: { select: { code: true } }, creditorAccounts: { orderBy: { effectiveFrom: "asc" } } },
        },
      },
    }),
  );
  const result: RegistryAlignment[] = [];
  for (const intermediary of intermediaries) {
    const [institutions, ibans] = await Promise.all([
      registry.institutions(intermediary.fiscalCode),
      registry.ibans(intermediary.fiscalCode),
    ]);
    const atPagopa = new Map(institutions.map((i) => [i.fiscalCode, i]));
    const councils: CouncilAlignment[] = [];
    for (const council of intermediary.tenants) {
      const differences = compareCouncil(council, atPagopa.get(council.fiscalCode), ibans, today);
      if (differences.length)
        councils.push({ fiscalCode: council.fiscalCode, name: council.name, ipaCode: council.ipaCode, differences });
    }
    const ours = new Set(intermediary.tenants.map((t) => t.fiscalCode));
    for (const stranger of institutions.filter((i) => !ours.has(i.fiscalCode)))
      councils.push({
        fiscalCode: stranger.fiscalCode,
        name: stranger.name,
        ipaCode: null,
        differences: [
          { kind: "not-here", text: "pagoPA associa l'ente a questo intermediario, ma PontePA non lo gestisce" },
        ],
      });
    result.push({
      intermediary: { fiscalCode: intermediary.fiscalCode, name: intermediary.name },
      councils,
      aligned: intermediary.tenants.length - councils.filter((c) => c.ipaCode).length,
    });
  }
  return result;
}

function compareCouncil(
  council: Council,
  remote: PagopaInstitution | undefined,
  allIbans: PagopaIban[],
  today: string,
): RegistryDifference[] {
  if (council.status === "ONBOARDING") return [];
  if (!remote)
    return [
      {
        kind: "not-at-pagopa",
        text: "pagoPA non conosce l'ente per questo intermediario: va registrato nel back-office pagoPA",
      },
    ];
  const out: RegistryDifference[] = [];
  const differs = (kind: RegistryDifference["kind"], label: string, ours: string | null, theirs: string | null) => {
    if ((ours ?? "") !== (theirs ?? ""))
      out.push({ kind, text: `${label}: in PontePA ${ours ?? "nessuno"}, presso pagoPA ${theirs ?? "nessuno"}` });
  };
  differs("station", "Stazione", council.station.code, remote.stationCode);
  differs("segregation-code", "Codice di segregazione", council.segregationCode, remote.segregationCode);
  differs("aux-digit", "Aux digit", String(council.auxDigit), remote.auxDigit);
  differs("cbill", "Codice CBILL", council.cbill, remote.cbill);
  if (council.status === "LIVE" && (!remote.enabled || !remote.stationEnabled))
    out.push({
      kind: "disabled-at-pagopa",
      text: `l'ente è in esercizio ma presso pagoPA ${remote.enabled ? "il collegamento alla stazione" : "l'ente"} è disattivato`,
    });

  const theirs = allIbans.filter((i) => i.fiscalCode === council.fiscalCode);
  // Accounts still in force or coming: a closed one may stay at pagoPA without harm.
  const current = council.creditorAccounts.filter((a) => !a.effectiveTo || dateAsDay(a.effectiveTo) >= today);
  for (const account of current) {
    const from = dateAsDay(account.effectiveFrom);
    const match = theirs.find((i) => i.iban === account.iban);
    if (!match)
      out.push({
        kind: "iban-missing-at-pagopa",
        text: `IBAN ${account.iban} (dal ${italianDay(from)}) non registrato presso pagoPA: i pagamenti su questo conto saranno rifiutati`,
      });
    else if (!match.enabled)
      out.push({ kind: "iban-disabled-at-pagopa", text: `IBAN ${account.iban} disattivato presso pagoPA` });
    else if (match.validFrom > from && match.validFrom > today)
      out.push({
        kind: "iban-date",
        text: `IBAN ${account.iban}: in PontePA dal ${italianDay(from)}, presso pagoPA solo dal ${italianDay(match.validFrom)}`,
      });
  }
  for (const remoteIban of theirs.filter((i) => i.enabled && !current.some((a) => a.iban === i.iban)))
    out.push({
      kind: "iban-only-at-pagopa",
      text: `IBAN ${remoteIban.iban} attivo presso pagoPA ma non in vigore in PontePA`,
    });
  return out;
}
