import { existsSync, readFileSync } from "node:fs";
import { z } from "zod";
import { isValidTaxonomyCode } from "../pagopa/index.ts";

/** One service of the official pagoPA taxonomy ("tassonomia dei servizi di incasso"). */
export interface TaxonomyEntry {
  code: string;
  creditorType: string;
  macroArea: string;
  service: string;
  /** What the service is, in the list's words ("Tassa occupazione suolo pubblico"). */
  description: string;
  validFrom: Date;
  validTo: Date;
}

// The published JSON, by its Italian column names; rows that do not fit are counted, not loaded.
const row = z.object({
  "DATI SPECIFICI DI INCASSO": z.string().refine(isValidTaxonomyCode),
  "TIPO ENTE CREDITORE": z.string(),
  "NOME MACRO AREA": z.string(),
  "TIPO SERVIZIO": z.string(),
  // The service name is often only an acronym ("COSAP/TOSAP"): the words a clerk types are here.
  "DESCRIZIONE TIPO SERVIZIO": z.string().default(""),
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
/** The creditor-type code of a council ("COMUNE/UNIONE DI COMUNI / CONSORZI"): the 2 digits after "9/". */
const COUNCIL_TYPE = "01";

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
        description: r["DESCRIZIONE TIPO SERVIZIO"],
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

  /**
   * Entries whose code, service, description, area or creditor type contain every word of the
   * query (accents and case ignored), councils' services first (PontePA's creditors are councils),
   * then those whose service name itself matches, then in the list's order.
   */
  search(query: string, limit = 20): TaxonomyEntry[] {
    // Italian words change their last vowel for plural/gender ("rifiuto", "rifiuti"): longer words match by stem.
    const words = fold(query)
      .split(/[\s,;.]+/)
      .filter(Boolean)
      .map((w) => (w.length >= 5 && /[aeio]$/.test(w) ? w.slice(0, -1) : w));
    const council = (e: TaxonomyEntry) => (e.code.slice(2, 4) === COUNCIL_TYPE ? 0 : 1);
    if (words.length === 0) return this.entries.filter((e) => council(e) === 0).slice(0, limit);
    return this.entries
      .map((e, index) => {
        const text = fold(`${e.code} ${e.service} ${e.description} ${e.macroArea} ${e.creditorType}`);
        const name = fold(`${e.service} ${e.description}`);
        return { e, index, hit: words.every((w) => text.includes(w)), named: words.every((w) => name.includes(w)) };
      })
      .filter((r) => r.hit)
      .sort((a, b) => council(a.e) - council(b.e) || Number(b.named) - Number(a.named) || a.index - b.index)
      .slice(0, limit)
      .map((r) => r.e);
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
