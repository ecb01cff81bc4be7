/**
 * npm run spid:cert -- --ipa <code> --name "<body>" --entity-id <url> --locality <city> [--out <dir>] [--bits 3072] [--days 730]
 * Writes <out>/spid-sp-key.pem (mode 600) and <out>/spid-sp-cert.pem, as SPID notice n.29 v3 requires.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { generateSpCertificate } from "../sp-certificate.ts";

const { values } = parseArgs({
  options: {
    ipa: { type: "string" },
    name: { type: "string" },
    "entity-id": { type: "string" },
    locality: { type: "string" },
    out: { type: "string", default: ".data/spid-sp" },
    bits: { type: "string", default: "3072" },
    days: { type: "string", default: "730" },
  },
});
const missing = ["ipa", "name", "entity-id", "locality"].filter((k) => !values[k as keyof typeof values]);
if (missing.length) {
  console.error(
    `missing: ${missing.map((m) => `--${m}`).join(", ")}\nusage: npm run spid:cert -- --ipa c_x001 --name "Regione Demo" --entity-id https://pagamenti.example.it/spid/metadata --locality Roma`,
  );
  process.exit(64);
}
const { keyPem, certPem } = generateSpCertificate(
  {
    ipaCode: values.ipa!,
    organizationName: values.name!,
    entityId: values["entity-id"]!,
    localityName: values.locality!,
  },
  { bits: Number(values.bits), days: Number(values.days) },
);
mkdirSync(values.out!, { recursive: true });
writeFileSync(path.join(values.out!, "spid-sp-key.pem"), keyPem, { mode: 0o600 });
writeFileSync(path.join(values.out!, "spid-sp-cert.pem"), certPem);
console.log(`wrote ${path.join(values.out!, "spid-sp-key.pem")} and ${path.join(values.out!, "spid-sp-cert.pem")}`);
