import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

/**
 * The files other platforms wrote (../shared/fixtures/real-world), found beside the specs
 * (PAGOPA_SPECS_DIR, default ../shared/specs/pagopa) or at REAL_WORLD_FIXTURES_DIR. Tests that
 * need them skip with a message when they are absent; nothing from there is copied here.
 */
export const SPECS_DIR = path.resolve(
  process.env.PAGOPA_SPECS_DIR ?? path.join(import.meta.dirname, "../../../../../shared/specs/pagopa"),
);
export const REAL_WORLD_DIR = path.resolve(
  process.env.REAL_WORLD_FIXTURES_DIR ?? path.join(SPECS_DIR, "../../fixtures/real-world"),
);
export const OPI_SPECS_DIR = path.join(SPECS_DIR, "../opi");
export const hasRealWorld = existsSync(path.join(REAL_WORLD_DIR, "fdr/PROVENANCE.md"));

export const realWorldFile = (relative: string) => readFileSync(path.join(REAL_WORLD_DIR, relative));
