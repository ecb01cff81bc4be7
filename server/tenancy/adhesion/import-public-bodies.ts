import { parse } from "csv-parse/sync";
import type { Database } from "../../platform/db/database.ts";
import { recordAudit, type Actor } from "../../audit/index.ts";
import { AppError } from "../../platform/errors.ts";
import { isValidFiscalCode } from "../../pagopa/index.ts";

export interface PublicBodiesImport {
  imported: number;
  skipped: { row: number; reason: string }[];
}

const norm = (h: string) => h.trim().toLowerCase();
const pick = (headers: string[], ...names: string[]) => headers.findIndex((h) => names.includes(h));

/**
 * The Region imports the IPA "enti" open data (indicepa.gov.it, CSV with a header):
 * `Codice_IPA`, `Denominazione_ente` (or `denominazione`), `Codice_fiscale_ente` (or
 * `codice_fiscale`) and the certified e-mail either in a `mail_pec`/`pec` column or as the first
 * `MailN` whose `Tipo_MailN` is "Pec" (the open data's layout). Comma or semicolon separated.
 * Rows are upserted by IPA code (a new file refreshes names and PECs); unusable rows are listed.
 * @throws AppError REGISTRY_CSV_INVALID when the header lacks the required columns
 */
export async function importPublicBodies(db: Database, csv: Buffer, actor: Actor): Promise<PublicBodiesImport> {
  const text = csv.toString("utf8");
  const firstLine = text.slice(0, text.indexOf("\n") >>> 0);
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ";" : ",";
  let rows: string[][];
  try {
    rows = parse(text, { delimiter, bom: true, relax_column_count: true, skip_empty_lines: true });
  } catch {
    throw new AppError("REGISTRY_CSV_INVALID", "Il file non è un CSV leggibile", 422);
  }
  const headers = (rows[0] ?? []).map(norm);
  const col = {
    ipa: pick(headers, "codice_ipa", "cod_amm"),
    name: pick(headers, "denominazione_ente", "denominazione", "des_amm"),
    fiscal: pick(headers, "codice_fiscale_ente", "codice_fiscale", "cf"),
    pec: pick(headers, "mail_pec", "pec"),
  };
  if (col.ipa < 0 || col.name < 0 || col.fiscal < 0)
    throw new AppError(
      "REGISTRY_CSV_INVALID",
      "Intestazione non riconosciuta: servono le colonne Codice_IPA, Denominazione_ente e Codice_fiscale_ente",
      422,
    );
  const mailPairs = headers.flatMap((h, i) => {
    const m = /^mail(\d)$/.exec(h);
    return m ? [{ mail: i, type: headers.indexOf(`tipo_mail${m[1]}`) }] : [];
  });
  const skipped: PublicBodiesImport["skipped"] = [];
  const bodies = new Map<string, { ipaCode: string; name: string; fiscalCode: string; pecEmail: string | null }>();
  rows.slice(1).forEach((r, i) => {
    const cell = (c: number) => (c >= 0 ? (r[c] ?? "").trim() : "");
    const ipaCode = cell(col.ipa).toLowerCase();
    const fiscalCode = cell(col.fiscal).toUpperCase();
    const name = cell(col.name);
    if (!/^[a-z0-9_]{2,35}$/.test(ipaCode)) return skipped.push({ row: i + 2, reason: "codice IPA non valido" });
    if (!isValidFiscalCode(fiscalCode)) return skipped.push({ row: i + 2, reason: "codice fiscale non valido" });
    if (!name) return skipped.push({ row: i + 2, reason: "denominazione mancante" });
    const pec = cell(col.pec) || cell(mailPairs.find((p) => cell(p.type).toLowerCase() === "pec")?.mail ?? -1) || null;
    bodies.set(ipaCode, { ipaCode, name: name.slice(0, 300), fiscalCode, pecEmail: pec?.slice(0, 254) ?? null });
  });
  await db.withPlatformScope(
    "region: import the IPA registry of public bodies",
    async (tx) => {
      // One statement per thousand rows: the national file has over 20,000 bodies.
      const all = [...bodies.values()];
      for (let i = 0; i < all.length; i += 1000) {
        const chunk = all.slice(i, i + 1000);
        await tx.$executeRaw`
          INSERT INTO public_bodies (ipa_code, name, fiscal_code, pec_email)
          SELECT * FROM unnest(${chunk.map((b) => b.ipaCode)}::text[], ${chunk.map((b) => b.name)}::text[],
                               ${chunk.map((b) => b.fiscalCode)}::text[], ${chunk.map((b) => b.pecEmail)}::text[])
          ON CONFLICT (ipa_code) DO UPDATE SET name = excluded.name, fiscal_code = excluded.fiscal_code,
            pec_email = excluded.pec_email, imported_at = now()`;
      }
      await recordAudit(tx, {
        tenantId: null,
        actor,
        action: "public-bodies.import",
        entityType: "PublicBody",
        after: { imported: bodies.size, skipped: skipped.length },
      });
    },
    { timeout: 120_000 },
  );
  return { imported: bodies.size, skipped };
}

/** The registry's entry for an IPA code, or null. */
export function findPublicBody(db: Database, ipaCode: string) {
  return db.withPlatformScope("adhesion: look up a public body", (tx) =>
    tx.publicBody.findUnique({ where: { ipaCode: ipaCode.trim().toLowerCase() } }),
  );
}
