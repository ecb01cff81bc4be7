/**
 * Writes the Keycloak realm export generated from infra/dev-idp/oidc/realm-data.ts.
 *
 *   npx tsx infra/keycloak/export-realm.ts                 # rewrites infra/keycloak/realm-pontepa.json (development: demo users, dev secrets)
 *   npx tsx infra/keycloak/export-realm.ts --check         # fails if the committed file is out of date
 *   npx tsx infra/keycloak/export-realm.ts --production --backoffice-url https://pagamenti.example > realm.json
 *                                                          # no demo users, no secrets (Keycloak generates them)
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { buildRealmExport } from "./realm-export.ts";

const { values } = parseArgs({
  options: { check: { type: "boolean" }, production: { type: "boolean" }, "backoffice-url": { type: "string" } },
});
const file = path.join(import.meta.dirname, "realm-pontepa.json");

if (values.production) {
  process.stdout.write(
    `${JSON.stringify(buildRealmExport({ production: true, backofficeUrl: values["backoffice-url"] }), null, 2)}\n`,
  );
} else {
  const text = `${JSON.stringify(buildRealmExport(), null, 2)}\n`;
  if (values.check) {
    if (readFileSync(file, "utf8") !== text) {
      console.error(`${file} is out of date: run npx tsx infra/keycloak/export-realm.ts`);
      process.exit(1);
    }
    console.log(`${file} is up to date`);
  } else {
    writeFileSync(file, text);
    console.log(`wrote ${file}`);
  }
}
