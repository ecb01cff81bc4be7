/**
 * The development identity providers, one process on loopback (started by `npm run demo`):
 * the SPID test IdP at /spid. The Keycloak-compatible OIDC realm for staff joins it at
 * /realms/<realm> with the back-office issue.
 */
import path from "node:path";
import express from "express";
import { pino } from "pino";
import { z } from "zod";
import { createSpidIdp } from "./spid/index.ts";

const root = path.resolve(import.meta.dirname, "../..");
const env = z
  .object({
    DEV_IDP_HOST: z.string().default("127.0.0.1"),
    DEV_IDP_PORT: z.coerce.number().int().min(0).max(65535).default(4200),
    DEV_IDP_ISSUER_BASE: z.url().default("http://127.0.0.1:4200"),
    DEV_IDP_DATA_DIR: z.string().default(path.join(root, ".data/dev-idp")),
  })
  .parse(Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== "")));

const logger = pino({ name: "dev-idp" });
const app = express();
app.disable("x-powered-by");
app.get("/healthz", (_req, res) => {
  res.json({ status: "ok" });
});
app.use("/spid", await createSpidIdp({ baseUrl: `${env.DEV_IDP_ISSUER_BASE}/spid`, dataDir: path.join(path.resolve(root, env.DEV_IDP_DATA_DIR), "spid"), logger }));
const server = app.listen(env.DEV_IDP_PORT, env.DEV_IDP_HOST, () => {
  logger.info(`dev identity providers on ${env.DEV_IDP_ISSUER_BASE} (SPID test IdP at /spid)`);
});
const stop = () => server.close(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
