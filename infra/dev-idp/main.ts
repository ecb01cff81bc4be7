/**
 * The development identity providers, one process on loopback (started by `npm run demo` and
 * the e2e suite): the Keycloak-compatible OIDC realm for staff at /realms/<realm> and the SPID
 * test IdP at /spid. Run with `npx tsx infra/dev-idp/main.ts`.
 */
import path from "node:path";
import { pino } from "pino";
import { z } from "zod";
import { createDevIdp, DEFAULT_DEV_IDP_SMTP_URL } from "./app.ts";
import { REALM_NAME } from "./oidc/realm-data.ts";

const root = path.resolve(import.meta.dirname, "../..");
const env = z
  .object({
    DEV_IDP_HOST: z.string().default("127.0.0.1"),
    DEV_IDP_PORT: z.coerce.number().int().min(0).max(65535).default(4200),
    DEV_IDP_ISSUER_BASE: z.url().default("http://127.0.0.1:4200"),
    // The realm name is fixed by the realm data (infra/dev-idp/oidc/realm-data.ts) and the
    // Keycloak export; the variable exists so a mismatch fails loudly instead of silently.
    DEV_IDP_REALM: z.literal(REALM_NAME).default(REALM_NAME),
    DEV_IDP_DATA_DIR: z.string().default(".data/dev-idp"),
    // Keycloak sends its e-mails through the realm's SMTP settings; in development, the mail catcher.
    DEV_IDP_SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, "an smtp:// or smtps:// URL")
      .default(DEFAULT_DEV_IDP_SMTP_URL),
    DEV_IDP_BACKOFFICE_URLS: z
      .string()
      .default("")
      .transform((v) =>
        v
          .split(",")
          .map((u) => u.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.url())),
  })
  .parse(Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== "")));

const logger = pino({ name: "dev-idp" });
const idp = await createDevIdp({
  issuerBase: env.DEV_IDP_ISSUER_BASE,
  dataDir: path.resolve(root, env.DEV_IDP_DATA_DIR),
  backofficeBaseUrls: env.DEV_IDP_BACKOFFICE_URLS,
  smtpUrl: env.DEV_IDP_SMTP_URL,
  logger,
});
const server = idp.app.listen(env.DEV_IDP_PORT, env.DEV_IDP_HOST, () => {
  logger.info(
    `dev identity providers on ${env.DEV_IDP_ISSUER_BASE}: OIDC realm ${idp.issuer}${idp.spid ? `, SPID test IdP at ${env.DEV_IDP_ISSUER_BASE}/spid` : ""}`,
  );
});
const stop = () => {
  void idp.close(server).then(() => process.exit(0));
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
