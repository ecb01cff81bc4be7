import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { TaxonomyCatalog } from "./taxonomy-catalog.ts";

const specs = process.env.PAGOPA_SPECS_DIR ?? path.resolve(import.meta.dirname, "../../../shared/specs/pagopa");
const official = path.join(specs, "taxonomy/tassonomia.json");

describe("TaxonomyCatalog", () => {
  it.skipIf(!TaxonomyCatalog.load(official).official)(
    "loads the official taxonomy and searches it (skipped without ../shared/specs/pagopa)",
    () => {
      const catalog = TaxonomyCatalog.load(official);
      expect(catalog.size).toBeGreaterThan(600);
      expect(catalog.rejectedRows).toBe(0);
      expect(catalog.get("9/0101101IM/")?.service).toMatch(/rifiuti/i);
      const tari = catalog.search("rifiuti tari");
      expect(tari.map((e) => e.code)).toContain("9/0101101IM/");
      expect(catalog.search("rifiuti citta")).toEqual(catalog.search("rifiuti città"));
      expect(catalog.check("9/0101101IM/")).toMatchObject({ ok: true, entry: { code: "9/0101101IM/" } });
      expect(catalog.check("9/9999999IM/")).toEqual({
        ok: false,
        reason: "codice non presente nella tassonomia pagoPA",
      });
    },
  );

  it.skipIf(!TaxonomyCatalog.load(official).official)(
    "finds 'suolo' (in the service description) with council services first, and by word stem (skipped without specs)",
    () => {
      const catalog = TaxonomyCatalog.load(official);
      const suolo = catalog.search("suolo");
      expect(suolo.map((e) => e.code)).toContain("9/0101102TS/");
      // Council codes ("9/01…") come before every other creditor type's.
      const firstOther = suolo.findIndex((e) => !e.code.startsWith("9/01"));
      expect(firstOther).toBeGreaterThan(0);
      expect(suolo.slice(firstOther).every((e) => !e.code.startsWith("9/01"))).toBe(true);
      expect(suolo[0]!.code).toBe("9/0101102TS/");
      expect(catalog.search("occupazione suolo pubblico")[0]!.code).toMatch(/^9\/01/);
      expect(catalog.search("rifiuto").map((e) => e.code)).toContain("9/0101101IM/");
      expect(catalog.search("Suolo Pubblico")).toEqual(catalog.search("suolo pubblico"));
    },
  );

  it("refuses expired codes and malformed rows of a given file", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "taxonomy-"));
    const file = path.join(dir, "t.json");
    const r = (code: string, from: string, to: string) => ({
      "DATI SPECIFICI DI INCASSO": code,
      "TIPO ENTE CREDITORE": "COMUNE",
      "NOME MACRO AREA": "SERVIZI",
      "TIPO SERVIZIO": "Mensa scolastica",
      "DATA INIZIO VALIDITA": from,
      "DATA FINE VALIDITA": to,
    });
    writeFileSync(
      file,
      JSON.stringify([
        r("9/0107101TS/", "01/01/2020", "31/12/2080"),
        r("9/0107102TS/", "01/01/2020", "31/12/2024"),
        r("not-a-code", "01/01/2020", "31/12/2080"),
      ]),
    );
    const catalog = TaxonomyCatalog.load(file);
    expect(catalog.size).toBe(2);
    expect(catalog.rejectedRows).toBe(1);
    expect(catalog.check("9/0107101TS/", new Date("2026-06-01")).ok).toBe(true);
    expect(catalog.check("9/0107102TS/", new Date("2026-06-01"))).toEqual({
      ok: false,
      reason: "codice non più valido nella tassonomia pagoPA",
    });
  });

  it("without a file, checks the format only and says so", () => {
    const catalog = TaxonomyCatalog.load("/nonexistent/tassonomia.json");
    expect(catalog.official).toBe(false);
    expect(catalog.check("9/0101101IM/")).toEqual({ ok: true, entry: null });
    expect(catalog.check("0101101IM")).toMatchObject({ ok: false });
  });
});
