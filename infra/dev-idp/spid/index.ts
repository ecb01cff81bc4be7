import express, { type Router } from "express";
import pino, { type Logger } from "pino";
import { adminRoutes } from "./admin.routes.ts";
import { CIE_FLAVOUR, SPID_FLAVOUR } from "./identities.ts";
import { PendingLogins, type IdpContext } from "./idp-context.ts";
import { loadOrCreateKeyPair } from "./keys.ts";
import { buildIdpMetadata, buildRegistryMetadata } from "./metadata.ts";
import { ScenarioState } from "./scenarios.ts";
import { sloRoutes } from "./slo.routes.ts";
import { SpRegistry } from "./sp-registry.ts";
import { ssoRoutes } from "./sso.routes.ts";

export { CIE_IDENTITIES, DEMO_IDENTITIES, DEMO_PASSWORD } from "./identities.ts";
export { SCENARIOS, type Scenario } from "./scenarios.ts";
export { SPID_ERRORS } from "./spid-errors.ts";

export interface SpidIdpOptions {
  /** Externally visible URL of the mount point, e.g. http://127.0.0.1:4200/spid; also the entity id. */
  baseUrl: string;
  /** Where the IdP key and certificate are kept (created on first start). */
  dataDir: string;
  /** SP metadata documents (XML) registered at start. */
  spMetadata?: string[];
  /**
   * URLs of SP metadata, fetched at start and again when an unknown SP shows up. Defaults to
   * the comma-separated env SPID_IDP_SP_METADATA_URLS (development convenience).
   */
  spMetadataUrls?: string[];
  logger?: Logger;
  /**
   * "cie": plays the CIE ID IdP instead (mounted at /cie by the dev IdP): same SAML profile and
   * scenarios, the CIE demo identities, CIE on its pages, SP metadata URLs from the env
   * CIE_IDP_SP_METADATA_URLS. Default "spid".
   */
  flavour?: "spid" | "cie";
  /** Clock, for tests. */
  now?: () => Date;
}

/**
 * Creates the SPID test IdP as an Express router to mount at the path of `baseUrl`.
 * Endpoints: GET /metadata, GET /registry (+ /registry/certificate), GET|POST /sso, POST /login, GET|POST /slo, and the development
 * admin API (POST /admin/sp-metadata, GET|POST /admin/scenario).
 */
export async function createSpidIdp(options: SpidIdpOptions): Promise<Router> {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const logger = options.logger ?? pino({ name: "spid-idp" });
  const keys = await loadOrCreateKeyPair(options.dataDir, "spid-idp", baseUrl);
  const otherKeys = await loadOrCreateKeyPair(options.dataDir, "spid-idp-other", baseUrl);
  const registry = new SpRegistry();
  for (const xml of options.spMetadata ?? []) registry.register(xml);

  const flavour = options.flavour === "cie" ? CIE_FLAVOUR : SPID_FLAVOUR;
  const urls =
    options.spMetadataUrls ??
    ((flavour.scheme === "cie" ? process.env.CIE_IDP_SP_METADATA_URLS : process.env.SPID_IDP_SP_METADATA_URLS) ?? "")
      .split(",")
      .map((u) => u.trim())
      .filter(Boolean);
  const refreshSpMetadata = async () => {
    await Promise.all(
      urls.map(async (url) => {
        try {
          const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
          if (!response.ok) throw new Error(`HTTP ${response.status}`);
          registry.register(await response.text());
        } catch (error) {
          logger.warn({ url, err: error }, "SP metadata could not be fetched");
        }
      }),
    );
  };
  await refreshSpMetadata();

  const ctx: IdpContext = {
    flavour,
    entityId: baseUrl,
    ssoUrl: `${baseUrl}/sso`,
    sloUrl: `${baseUrl}/slo`,
    signing: { entityId: baseUrl, keys, otherKeys },
    registry,
    scenarios: new ScenarioState(),
    pending: new PendingLogins(),
    metadataXml: buildIdpMetadata({
      entityId: baseUrl,
      ssoUrl: `${baseUrl}/sso`,
      sloUrl: `${baseUrl}/slo`,
      keys,
      displayName: `PontePA IdP di test ${flavour.label}`,
    }),
    logger,
    now: options.now ?? (() => new Date()),
    refreshSpMetadata,
  };

  const router = express.Router();
  router.get("/metadata", (_req, res) => {
    res.type("application/samlmetadata+xml").send(ctx.metadataXml);
  });
  // Plays AgID's registry signer: SPs pin this certificate (SPID_IDP_REGISTRY_CERT), not the IdP's.
  // Made on first use, so starting the IdP (every test harness) does not pay for a third key.
  let signedRegistry: Promise<{ xml: string; certificatePem: string }> | null = null;
  const registryOnce = () =>
    (signedRegistry ??= loadOrCreateKeyPair(options.dataDir, "spid-registry", `${baseUrl}/registry`).then(
      (registryKeys) => ({
        xml: buildRegistryMetadata(
          [{ entityId: baseUrl, ssoUrl: ctx.ssoUrl, sloUrl: ctx.sloUrl, keys }],
          registryKeys,
          new Date(Date.now() + 7 * 86_400_000),
        ),
        certificatePem: registryKeys.certificatePem,
      }),
    ));
  router.get("/registry", async (_req, res) => {
    res.type("application/samlmetadata+xml").send((await registryOnce()).xml);
  });
  router.get("/registry/certificate", async (_req, res) => {
    res.type("application/x-pem-file").send((await registryOnce()).certificatePem);
  });
  router.use(ssoRoutes(ctx));
  router.use(sloRoutes(ctx));
  router.use(adminRoutes(ctx));
  return router;
}
