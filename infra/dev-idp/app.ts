/**
 * The development identity providers as one Express app: the Keycloak-compatible OIDC realm for
 * staff at /realms/<realm> and, when present, the SPID test IdP at /spid and the CIE ID one at /cie.
 */
import { existsSync } from "node:fs";
import type { Server } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import express, { type Express, type Router } from "express";
import type Provider from "oidc-provider";
import { pino, type Logger } from "pino";
import { createOidcRealm } from "./oidc/index.ts";
import type { UserDirectory } from "./oidc/user-directory.ts";

/** The development mail catcher's SMTP address (infra/mail-catcher/). */
export const DEFAULT_DEV_IDP_SMTP_URL = "smtp://127.0.0.1:2525";

export interface DevIdpConfig {
  /** Public base URL, e.g. http://127.0.0.1:4200 (issuer = `<base>/realms/<realm>`, SPID entity = `<base>/spid`). */
  issuerBase: string;
  /** Keys and certificates live here (`oidc/`, `spid/`), created on first start. */
  dataDir: string;
  /** Extra back-office base URLs allowed as OIDC redirect targets (besides the realm's defaults). */
  backofficeBaseUrls?: string[];
  /** SMTP server for the realm's e-mails (invitations); default the development mail catcher. */
  smtpUrl?: string;
  /** Councils (IPA codes) whose groups the realm has besides the demo ones; for tests. */
  extraTenants?: Array<{ ipaCode: string }>;
  logger?: Logger;
}

export interface DevIdp {
  app: Express;
  /** The OIDC realm's issuer, e.g. http://127.0.0.1:4200/realms/pontepa. */
  issuer: string;
  provider: Provider;
  /** The realm's users (demo, service accounts, invited), persisted under the data dir. */
  directory: UserDirectory;
  /** True when the SPID test IdP was found and mounted at /spid (and the CIE ID one at /cie). */
  spid: boolean;
  /** Closes `server` if given (waiting for open connections to end) and releases resources. */
  close: (server?: Server) => Promise<void>;
}

/** What `infra/dev-idp/spid/index.ts` exports, when that module exists. */
interface SpidModule {
  createSpidIdp(options: {
    baseUrl: string;
    dataDir: string;
    logger?: Logger;
    flavour?: "spid" | "cie";
  }): Promise<Router>;
}

const spidEntry = path.join(path.dirname(fileURLToPath(import.meta.url)), "spid", "index.ts");

/**
 * Builds the dev IdP app (no listening: the caller does that). Everything stateful (keys) is read
 * or created here, not at import time.
 */
export async function createDevIdp(config: DevIdpConfig): Promise<DevIdp> {
  const logger = config.logger ?? pino({ name: "dev-idp" });
  const base = config.issuerBase.replace(/\/+$/, "");
  const app = express();
  app.disable("x-powered-by");
  // Cookies of the realm must be set on plain http on loopback, as Keycloak's start-dev does.
  app.set("trust proxy", false);
  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });

  const realm = await createOidcRealm({
    issuerBase: base,
    dataDir: path.join(config.dataDir, "oidc"),
    backofficeBaseUrls: config.backofficeBaseUrls,
    smtpUrl: config.smtpUrl ?? DEFAULT_DEV_IDP_SMTP_URL,
    extraTenants: config.extraTenants,
    logger,
  });
  app.use(realm.mountPath, realm.router);
  app.use(realm.adminMountPath, realm.adminRouter);

  let spid = false;
  if (existsSync(spidEntry)) {
    const { createSpidIdp } = (await import(spidEntry)) as SpidModule;
    app.use(
      "/spid",
      await createSpidIdp({ baseUrl: `${base}/spid`, dataDir: path.join(config.dataDir, "spid"), logger }),
    );
    // The CIE ID test IdP: the same SAML IdP with the CIE identities and keys of its own. Built
    // on its first request: its keys (pure-JS RSA on a first start) would otherwise double the
    // start-up time of every dev IdP, most of which never see a CIE login.
    let cie: Promise<Router> | null = null;
    app.use("/cie", (req, res, next) => {
      cie ??= createSpidIdp({
        baseUrl: `${base}/cie`,
        dataDir: path.join(config.dataDir, "cie"),
        logger,
        flavour: "cie",
      });
      cie.then(
        (router) => router(req, res, next),
        (err: unknown) => {
          cie = null; // try again on the next request
          next(err);
        },
      );
    });
    spid = true;
  }

  const close = async (server?: Server) => {
    realm.close();
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
  };
  return { app, issuer: realm.issuer, provider: realm.provider, directory: realm.directory, spid, close };
}
