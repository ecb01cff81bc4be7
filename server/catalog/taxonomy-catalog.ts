import { existsSync, readFileSync } from "node:fs";
import { z } from "zod";
import { isValidTaxonomyCode } from "../pagopa/index.ts";

/** One service of the official pagoPA taxonomy ("tassonomia dei servizi di incasso"). */
export interface TaxonomyEntry {
  code: string;
  creditorType: string;
  macroArea: string;
  service: string;
  validFrom: Date;
  validTo: Date;
}

// The published JSON, by its Italian column names; rows that do not fit are counted, not loaded.
const row = z.object({
  "DATI SPECIFICI DI INCASSO": z.string().refine(isValidTaxonomyCode),
  "TIPO ENTE CREDITORE": z.string(),
  "NOME MACRO AREA": z.string(),
  "TIPO SERVIZIO": z.string(),
  "DATA INIZIO VALIDITA": z.string().regex(/^\d{2}\/\d{2}\/\d{4}$/),
  "DATA FINE VALIDITA": z.string().regex(/^\d{2}\/\d{2}\/\d{4}$/),
});

const italianDate = (s: string) => {
  const [d, m, y] = s.split("/").map(Number);
  return new Date(Date.UTC(y!, m! - 1, d!));
};
const fold = (s: string) =>
  s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase();

export type TaxonomyCheck = { ok: true; entry: TaxonomyEntry | null } | { ok: false; reason: string };

/**
 * The official taxonomy, searchable by code or words, used where admins choose a payment type's
 * code. Loaded from a configurable file (default the published `tassonomia.json`); when the file
 * is missing the catalog still checks the code's format, and says it could not check more.
 */
export class TaxonomyCatalog {
  private constructor(
    private readonly entries: TaxonomyEntry[],
    readonly source: string | null,
    readonly rejectedRows: number,
  ) {}

  static load(path: string): TaxonomyCatalog {
    if (!existsSync(path)) return new TaxonomyCatalog([], null, 0);
    const raw: unknown = JSON.parse(readFileSync(path, "utf8"));
    if (!Array.isArray(raw)) throw new Error(`${path}: expected a JSON array of taxonomy rows`);
    const entries: TaxonomyEntry[] = [];
    let rejected = 0;
    for (const item of raw) {
      const parsed = row.safeParse(item);
      if (!parsed.success) {
        rejected++;
        continue;
      }
      const r = parsed.data;
      entries.push({
        code: r["DATI SPECIFICI DI INCASSO"],
        creditorType: r["TIPO ENTE CREDITORE"],
        macroArea: r["NOME MACRO AREA"],
        service: r["TIPO SERVIZIO"],
        validFrom: italianDate(r["DATA INIZIO VALIDITA"]),
        validTo: italianDate(r["DATA FINE VALIDITA"]),
      });
    }
    return new TaxonomyCatalog(entries, path, rejected);
  }

  get official(): boolean {
    return this.source !== null;
  }

  get size(): number {
    return this.entries.length;
  }

  get(code: string): TaxonomyEntry | null {
    return this.entries.find((e) => e.code === code) ?? null;
  }

  /** Entries whose code, service or area contain every word of the query (accents ignored). */
  search(query: string, limit = 20): TaxonomyEntry[] {
    const words = fold(query).split(/\s+/).filter(Boolean);
    if (words.length === 0) return this.entries.slice(0, limit);
    return this.entries
      .filter((e) => {
        const text = fold(`${e.code} ${e.service} ${e.macroArea} ${e.creditorType}`);
        return words.every((w) => text.includes(w));
      })
      .slice(0, limit);
  }

  /** Whether a payment type may use this code on `at`: well formed, and official and valid when the list is loaded. */
  check(code: string, at = new Date()): TaxonomyCheck {
    if (!isValidTaxonomyCode(code))
      return { ok: false, reason: "codice tassonomico non valido (formato 9/0101002IM/)" };
    if (!this.official) return { ok: true, entry: null };
    const entry = this.get(code);
    if (!entry) return { ok: false, reason: "codice non presente nella tassonomia pagoPA" };
    if (at < entry.validFrom || at > entry.validTo)
      return { ok: false, reason: "codice non più valido nella tassonomia pagoPA" };
    return { ok: true, entry };
  }
}

/** The catalog the configuration names (TAXONOMY_FILE, else the one beside the official specs). */
export function loadTaxonomy(config: {
  TAXONOMY_FILE?: string | undefined;
  PAGOPA_SPECS_DIR: string;
}): TaxonomyCatalog {
  return TaxonomyCatalog.load(
    config.TAXONOMY_FILE ?? `${config.PAGOPA_SPECS_DIR.replace(/\/+$/, "")}/taxonomy/tassonomia.json`,
  );
}
