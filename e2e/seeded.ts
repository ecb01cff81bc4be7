import { readFileSync } from "node:fs";
import path from "node:path";
import { E2E } from "./ports.ts";

/** Where e2e/platform.ts writes the notice numbers of the demo pack's positions (one file per port set). */
export const seededNavsFile = path.resolve(import.meta.dirname, "..", ".tmp", `e2e-seeded-navs-${E2E.api}.json`);

/** The e2e platform's IMPORT_DROP_ROOT (one per port set): specs drop files into `<root>/<ipa>/in/`. */
export const dropRoot = path.resolve(import.meta.dirname, "..", ".tmp", `e2e-drop-${E2E.api}`);
/** Where e2e/platform.ts writes its Redis URL and queue prefix, for specs that run a job now. */
export const platformFile = path.resolve(import.meta.dirname, "..", ".tmp", `e2e-platform-${E2E.api}.json`);

/**
 * The notice number of a seeded position's option: `option` 0 is the single payment, n the n-th
 * installment. Notice numbers are unpredictable by design, so specs look them up here.
 */
export function seededNav(externalId: string, option = 0): string {
  const rows = JSON.parse(readFileSync(seededNavsFile, "utf8")) as Array<{
    externalId: string;
    option: number;
    nav: string;
  }>;
  const row = rows.find((r) => r.externalId === externalId && r.option === option);
  if (!row) throw new Error(`no seeded notice for ${externalId} option ${option} in ${seededNavsFile}`);
  return row.nav;
}

/** A notice number as printed: groups of four digits, the last two alone ("3010 0000 0000 0004 47"). */
export function printedNav(nav: string): string {
  return nav.replace(/(\d{4})(?=\d{2,})/g, "$1 ");
}
