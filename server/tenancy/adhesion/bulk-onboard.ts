import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import type { Database } from "../../platform/db/database.ts";
import type { Mailer } from "../../platform/mail/mailer.ts";
import type { Actor } from "../../audit/index.ts";
import { AppError } from "../../platform/errors.ts";
import { adhesionRequestSchema, openRequest } from "./request-adhesion.ts";
import { sendCouncilLink } from "./council-link.ts";

/** The bulk CSV's columns (header required, any order, comma or semicolon separated). */
export const BULK_COLUMNS = [
  "codice_ipa",
  "referente_nome",
  "referente_email",
  "referente_codice_fiscale",
  "codice_segregazione",
  "iban",
] as const;

export interface BulkRowOutcome {
  row: number;
  ipaCode: string;
  accepted: boolean;
  /** Italian: why the row was refused, or what was done. */
  reason: string;
}

export interface BulkOutcome {
  accepted: number;
  rejected: number;
  invitationsSent: number;
  rows: BulkRowOutcome[];
}

/** A wave is dozens to a few hundred councils: bigger files are refused, not half-done. */
export const MAX_BULK_ROWS = 2000;

/**
 * A platform admin onboards a wave of councils from one CSV: each row (IPA code, contact person,
 * segregation code, IBAN) opens an adhesion request — checked as a single request is (registry,
 * already a council, already requested) plus checksums and duplicates within the file (segregation codes are unique per
 * intermediary: createTenant checks them when the council is created) — and its contact person is e-mailed the council's link. Every
 * row is accepted or rejected with an Italian reason; accepted rows commit together.
 * @throws AppError BULK_CSV_INVALID when the file is not a CSV with the expected header
 */
export async function bulkOnboard(
  deps: { db: Database; mailer: Pick<Mailer, "send">; publicBaseUrl: string },
  csv: Buffer,
  actor: Actor,
): Promise<BulkOutcome> {
  const text = csv.toString("utf8");
  const head = text.slice(0, Math.max(0, text.indexOf("\n")));
  const delimiter = head.split(";").length > head.split(",").length ? ";" : ",";
  let records: string[][];
  try {
    records = parse(text, { delimiter, bom: true, relax_column_count: true, skip_empty_lines: true, trim: true });
  } catch {
    throw new AppError("BULK_CSV_INVALID", "Il file non è un CSV leggibile", 422);
  }
  const header = (records[0] ?? []).map((h) => h.toLowerCase());
  const missing = BULK_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length) throw new AppError("BULK_CSV_INVALID", `Mancano le colonne: ${missing.join(", ")}`, 422);
  if (records.length - 1 > MAX_BULK_ROWS)
    throw new AppError("BULK_CSV_INVALID", `Al massimo ${MAX_BULK_ROWS} enti per file`, 422);
  const at = Object.fromEntries(BULK_COLUMNS.map((c) => [c, header.indexOf(c)])) as Record<
    (typeof BULK_COLUMNS)[number],
    number
  >;

  const links: { token: string; name: string; contactName: string | null; contactEmail: string | null }[] = [];
  const rows = await deps.db.withPlatformScope(
    "platform admin: bulk onboarding",
    async (tx) => {
      const seen = new Set<string>();
      const out: BulkRowOutcome[] = [];
      for (const [i, rec] of records.slice(1).entries()) {
        const row = i + 2;
        const cell = (c: keyof typeof at) => rec[at[c]] ?? "";
        const ipaCode = cell("codice_ipa").toLowerCase();
        const reject = (reason: string) => out.push({ row, ipaCode, accepted: false, reason });
        const parsed = adhesionRequestSchema.safeParse({
          ipaCode,
          contactName: cell("referente_nome"),
          contactEmail: cell("referente_email"),
          contactFiscalCode: cell("referente_codice_fiscale"),
          segregationCode: cell("codice_segregazione"),
          iban: cell("iban"),
        });
        if (!parsed.success) {
          reject(parsed.error.issues.map((e) => e.message).join("; "));
          continue;
        }
        const p = parsed.data;
        if (!p.contactName || !p.contactEmail || !p.contactFiscalCode || !p.segregationCode || !p.iban) {
          reject("riga incompleta: servono referente (nome, e-mail, codice fiscale), codice di segregazione e IBAN");
          continue;
        }
        if (seen.has(p.ipaCode)) {
          reject("codice IPA duplicato nel file");
          continue;
        }
        seen.add(p.ipaCode);
        const opened = await openRequest(tx, p, "BULK", actor);
        if (!opened.ok) {
          reject(opened.reason);
          continue;
        }
        const body = await tx.adhesionRequest.findUniqueOrThrow({ where: { id: opened.id }, select: { name: true } });
        links.push({
          token: opened.councilLink,
          name: body.name,
          contactName: p.contactName,
          contactEmail: p.contactEmail,
        });
        out.push({ row, ipaCode, accepted: true, reason: `richiesta aperta per ${body.name}` });
      }
      return out;
    },
    { timeout: 120_000 },
  );
  // After the commit: an e-mail is never sent for a request that was rolled back.
  let invitationsSent = 0;
  for (const l of links)
    if (await sendCouncilLink(deps.mailer, deps.publicBaseUrl, { ...l, pecEmail: null }, l.token)) invitationsSent++;
  const accepted = rows.filter((r) => r.accepted).length;
  return { accepted, rejected: rows.length - accepted, invitationsSent, rows };
}

/** The outcome as a CSV to download: the row, the IPA code, accepted or rejected, the reason. */
export function bulkOutcomeCsv(outcome: BulkOutcome): string {
  return stringify(
    outcome.rows.map((r) => [r.row, r.ipaCode, r.accepted ? "accettata" : "rifiutata", r.reason]),
    { header: true, columns: ["riga", "codice_ipa", "esito", "motivo"], delimiter: ";" },
  );
}
