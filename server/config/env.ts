import { z } from "zod";
import { compileTrust, type TrustProxySetting } from "../platform/http/client-address.ts";

/**
 * Every environment variable the platform reads, with its default. This is the only place that
 * reads `process.env` (through `loadConfig`, called once by main.ts). The README's environment
 * table mirrors this schema; keep them together.
 */
/**
 * `false`, a hop count, or a comma-separated list of proxy addresses, CIDR ranges and
 * proxy-addr's names (loopback, linklocal, uniquelocal). `true` is refused: it would trust
 * whatever a client writes in X-Forwarded-For.
 */
const trustProxy = z
  .string()
  .trim()
  .transform((value, ctx): TrustProxySetting => {
    if (value === "false") return false;
    if (/^\d{1,2}$/.test(value)) return Number(value);
    const list = value
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    const problem =
      value === "true"
        ? "true would trust any X-Forwarded-For a client writes: give the hop count or the proxies' addresses"
        : list.length === 0
          ? "empty list"
          : null;
    if (!problem) {
      try {
        compileTrust(list);
        return list;
      } catch (err) {
        ctx.addIssue({
          code: "custom",
          message: `false, a hop count, or proxy addresses/CIDRs: ${(err as Error).message}`,
        });
        return z.NEVER;
      }
    }
    ctx.addIssue({ code: "custom", message: problem });
    return z.NEVER;
  });

const port = z.coerce.number().int().min(0).max(65535);

/** Development key of the IUV permutation; refused in production like the other development secrets. */
export const DEV_IUV_PERMUTATION_SECRET = "dev-only-iuv-permutation-secret";

export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).default("postgresql://pontepa_app@127.0.0.1:5432/pontepa"),
  MIGRATE_DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).default("postgresql://postgres@127.0.0.1:5432/pontepa"),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).default("redis://127.0.0.1:6379/0"),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[a-z0-9:_-]+$/)
    .default("pontepa"),
  HOST: z.string().default("127.0.0.1"),
  API_PORT: port.default(3000),
  SOAP_PORT: port.default(3001),
  WORKER_METRICS_PORT: port.default(3002),
  /**
   * How long a stopping worker lets running jobs finish before closing anyway: a job cut short
   * is taken up again by another worker once its lock lapses (every job is idempotent).
   */
  WORKER_DRAIN_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  /** Health and metrics port of the scheduler role; unset, it has none (in development it shares a process with the worker). */
  SCHEDULER_HEALTH_PORT: port.optional(),
  PUBLIC_BASE_URL: z.url().default("http://127.0.0.1:3000"),
  SOAP_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(50_000_000).default(1_000_000),
  /** The station answers within this time at the latest (the Nodo gives up at 7 s). */
  SOAP_ANSWER_TIMEOUT_MS: z.coerce.number().int().min(500).max(6_900).default(6_000),
  /** Request header where the TLS-terminating proxy puts the Nodo's client-certificate fingerprint. */
  SOAP_CLIENT_CERT_HEADER: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,64}$/)
    .default("x-client-cert-fingerprint"),
  /** Processes serving the soap role (node:cluster, one per core in production); needs --role=soap alone when > 1. */
  SOAP_WORKERS: z.coerce.number().int().min(1).max(64).default(1),
  /** The station remembers routing (intermediary, station, council) this long; 0 turns it off. */
  SOAP_ROUTING_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
  JOURNAL_RAW_RETENTION_DAYS: z.coerce.number().int().min(0).max(3650).default(90),
  /** The reverse proxies in front of us: `false`, a hop count, or their addresses/CIDRs (Express's "trust proxy"). */
  TRUST_PROXY: trustProxy.default(false),
  PAGOPA_SPECS_DIR: z.string().default("../shared/specs/pagopa"),
  CHROMIUM_PATH: z.string().default("/usr/bin/chromium"),
  /** Chromium pages printing PDFs at once (notices, receipts); about one per core. */
  PDF_MAX_PAGES: z.coerce.number().int().min(1).max(32).default(2),
  /** A page is replaced after this many prints, bounding renderer memory in long batches. */
  PDF_MAX_RENDERS_PER_PAGE: z.coerce.number().int().min(1).max(100_000).default(200),
  /** One print (a notice, or a chunk of a batch) gives up after this long. */
  PDF_RENDER_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(600_000).default(60_000),
  /** pagoPA Checkout (EC API v2); in development the Nodo simulator plays it. */
  CHECKOUT_BASE_URL: z.url().default("http://127.0.0.1:4100/checkout/ec/v2"),
  CHECKOUT_SUBSCRIPTION_KEY: z.string().optional(),
  CHECKOUT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  CHECKOUT_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
  /** pagoPA's "Backoffice External for EC" API: what pagoPA knows of the broker's councils and IBANs. */
  PAGOPA_BACKOFFICE_URL: z.url().default("http://127.0.0.1:4100/backoffice/external/ec/v1"),
  PAGOPA_BACKOFFICE_SUBSCRIPTION_KEY: z.string().optional(),
  PAGOPA_BACKOFFICE_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** Where reporting flows (FdR) are fetched: FdR 3 REST, or the nodeForPa SOAP pair while pagoPA serves it. */
  FDR_SOURCE: z.enum(["rest", "soap"]).default("rest"),
  /** FdR 3 for organisations (fdr_organization.json); in development the Nodo simulator plays it. */
  FDR_BASE_URL: z.url().default("http://127.0.0.1:4100/fdr"),
  /** The Nodo's nodeForPa SOAP endpoint (nodoChiediElencoFlussiRendicontazione / nodoChiediFlussoRendicontazione). */
  NODE_FOR_PA_URL: z.url().default("http://127.0.0.1:4100/nodo/nodoPerPa"),
  /** The intermediary's subscription key for the reporting APIs (Ocp-Apim-Subscription-Key). */
  FDR_SUBSCRIPTION_KEY: z.string().optional(),
  /** The station's password in nodeForPa requests (8-15 characters, as the XSD wants). */
  NODE_FOR_PA_PASSWORD: z.string().min(8).max(15).default("devpassword"),
  FDR_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  FDR_RETRIES: z.coerce.number().int().min(0).max(10).default(3),
  /**
   * PSP counter of pagoPA's test environment through which pre-production runs pay test notices
   * (in development the Nodo simulator's `/psp/verify` and `/psp/pay`).
   */
  PREPRODUCTION_PSP_COUNTER_URL: z.url().default("http://127.0.0.1:4100"),
  /** One verify or payment of a pre-production run gives up after this long (a payment is three calls and a receipt). */
  PREPRODUCTION_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(300_000).default(30_000),
  /** A paid receipt no flow has reported this many days after the payment becomes an anomaly. */
  RECONCILIATION_UNREPORTED_DAYS: z.coerce.number().int().min(1).max(365).default(5),
  /** pagoPA's biz-events API (biz_events.json): receipts as pagoPA recorded them, for recovery. */
  PAGOPA_BIZEVENTS_URL: z.url().default("http://127.0.0.1:4100/bizevents/service/v1"),
  PAGOPA_BIZEVENTS_SUBSCRIPTION_KEY: z.string().optional(),
  PAGOPA_BIZEVENTS_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** pagoPA's ACA archive (gpd-4-aca.json): our payable notices, for Stand-In when our station is down. */
  PAGOPA_ACA_URL: z.url().default("http://127.0.0.1:4100/aca/debt-positions-service/v1"),
  PAGOPA_ACA_SUBSCRIPTION_KEY: z.string().optional(),
  PAGOPA_ACA_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** An option activated this long ago without a receipt is looked for in the biz-events archive. */
  RECEIPT_RECOVERY_AFTER_MINUTES: z.coerce.number().int().min(5).max(10_080).default(60),
  /** Lookups after which a receipt still not found becomes an anomaly for a person. */
  RECEIPT_RECOVERY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(6),
  /** At most this many lookups per run (pagoPA's rate limit on the biz-events API). */
  RECEIPT_RECOVERY_PER_RUN: z.coerce.number().int().min(1).max(10_000).default(200),
  /** Folder whose `<IPA code>/` subfolders receive treasury journals to import (unset: no drop folder). */
  TREASURY_DROP_DIR: z.string().optional(),
  /** Largest treasury journal accepted from the back-office or the API (bytes; read in memory). */
  TREASURY_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(512 * 1024 ** 2)
    .default(20 * 1024 ** 2),
  /** The staff and council-systems realm (Keycloak; the dev IdP in development). */
  OIDC_ISSUER_URL: z.url().default("http://127.0.0.1:4200/realms/pontepa"),
  /** Audience a council system's bearer token must carry for the REST API. */
  OIDC_API_AUDIENCE: z.string().min(1).default("pontepa-api"),
  /** Requests a council system's API client may make per minute (counted in Redis, across processes). */
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(1200),
  /** Hours an Idempotency-Key of the REST API is remembered (then purged by a job). */
  API_IDEMPOTENCY_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(24),
  /**
   * Milliseconds an api process reuses its reading of an API client's record (revoked? roles?)
   * before reading it again; a rotation or revocation is seen at once by the process that made
   * it, by the others within this time. 0 reads it on every request.
   */
  API_CLIENT_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
  /** The back-office's confidential client in the staff realm. */
  OIDC_BACKOFFICE_CLIENT_ID: z.string().min(1).default("pontepa-backoffice"),
  OIDC_BACKOFFICE_CLIENT_SECRET: z.string().min(1).default("dev-backoffice-secret"),
  /**
   * The service account the back-office uses for the realm's Admin REST API (invite staff, change
   * their role); its base URL follows Keycloak's convention from OIDC_ISSUER_URL.
   */
  OIDC_ADMIN_CLIENT_ID: z.string().min(1).default("pontepa-admin"),
  OIDC_ADMIN_CLIENT_SECRET: z.string().min(1).default("dev-admin-secret"),
  /** HMAC key of the staff session cookie; set a long random value outside development. */
  STAFF_SESSION_SECRET: z.string().min(16).default("dev-only-staff-session-secret"),
  /**
   * Keys the per-tenant permutation that makes new IUV bases unguessable. Set it once: numbers
   * stay unique only while it never changes (a new key is a new permutation of the same counters).
   */
  IUV_PERMUTATION_SECRET: z.string().min(16).default(DEV_IUV_PERMUTATION_SECRET),
  STAFF_SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(1440).default(30),
  STAFF_SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(72).default(10),
  /** Bearer token for /metrics and the details of /readyz; unset: open outside production, closed in it. */
  METRICS_TOKEN: z.string().min(16).optional(),
  /**
   * HMAC key of the signed "pay this notice" links councils e-mail or print; unset: derived from
   * STAFF_SESSION_SECRET (production-checked). Changing it invalidates every link issued.
   */
  PAY_LINK_SECRET: z.string().min(32).optional(),
  /** Back-office login attempts per minute per client address. */
  STAFF_LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).max(10_000).default(20),
  /** Outgoing mail to citizens (receipts); the development mail catcher by default. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, "an smtp:// or smtps:// URL")
    .default("smtp://127.0.0.1:2525"),
  MAIL_FROM: z.string().min(3).default("Pagamenti pagoPA <noreply@pontepa.example>"),
  /**
   * SPID service providers: `aggregator`, one SP for the platform (the Region, SPID_SP_*);
   * `per-tenant`, each council is also its own SP (entity ID, key and IPA code of its own).
   */
  SPID_SP_MODE: z.enum(["aggregator", "per-tenant"]).default("aggregator"),
  /** The Region's SPID service provider (the only one in aggregator mode). */
  SPID_SP_ENTITY_ID: z.url().optional(),
  SPID_SP_KEY_DIR: z.string().default(".data/spid-sp"),
  SPID_IDP_REGISTRY: z.string().default("http://127.0.0.1:4200/spid/metadata"),
  /** AgID's registry signing certificate (PEM or file path): the registry must be signed by it. Required in production. */
  SPID_IDP_REGISTRY_CERT: z.string().optional(),
  SPID_IDP_REGISTRY_REFRESH_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(60),
  SPID_SP_IPA_CODE: z
    .string()
    .regex(/^[a-z0-9_]{2,40}$/i)
    .default("r_demo"),
  SPID_SP_ORGANIZATION: z.string().min(2).default("Regione Demo"),
  SPID_SP_EMAIL: z.email().default("pagamenti@regione-demo.example"),
  /** Aggregator mode (public full aggregator, Avviso 19): the Region's fiscal code and/or VAT number, and telephone. */
  SPID_AGGREGATOR_FISCAL_CODE: z
    .string()
    .regex(/^\d{11}$/, "11 digits")
    .default("80000000000"),
  SPID_AGGREGATOR_VAT_NUMBER: z
    .string()
    .regex(/^IT\d{11}$/, "IT and 11 digits")
    .optional(),
  SPID_AGGREGATOR_PHONE: z
    .string()
    .regex(/^\+39\d{6,12}$/, "+39 and digits")
    .default("+390600000000"),
  SPID_LEVEL: z.coerce.number().int().min(1).max(3).default(2),
  /**
   * CIE ID login (SAML, beside SPID): the CIE IdP's metadata (URL or file), or "none" (the
   * default, so a deployment offers CIE only once registered with the Ministry): no CIE login.
   * The demo and e2e point it at the development CIE IdP. The SP is the Region's (entityID
   * `$PUBLIC_BASE_URL/cie/metadata`, key under SPID_SP_KEY_DIR/cie-sp).
   */
  CIE_IDP_METADATA: z.string().min(1).default("none"),
  /** The Region's municipality (cadastral code) in the CIE SP metadata (cie:Municipality). */
  CIE_SP_MUNICIPALITY: z
    .string()
    .regex(/^[A-Z]\d{3}$/, "a cadastral code such as H501")
    .default("H501"),
  /** Where uploaded debt files are kept while (and after) they are imported. */
  IMPORT_STORAGE_DIR: z.string().min(1).default(".data/imports"),
  /** Largest debt file accepted (bytes); an archive may inflate to 10 times this. */
  IMPORT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(4 * 1024 ** 3)
    .default(200 * 1024 ** 2),
  /** Records applied per transaction (and checkpoint) by the import worker. */
  IMPORT_CHUNK_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
  /** Drop folders: files in <root>/<ipa>/in/ are imported, outcomes written to <root>/<ipa>/out/. */
  IMPORT_DROP_ROOT: z.string().min(1).default(".data/drop"),
  /** The official taxonomy admins choose codes from; default PAGOPA_SPECS_DIR/taxonomy/tassonomia.json. */
  TAXONOMY_FILE: z.string().optional(),
  /** A webhook delivery attempt gives up waiting for the council's answer after this long. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  /** Failed deliveries are retried with exponential back-off for this long, then marked failed. */
  WEBHOOK_MAX_AGE_HOURS: z.coerce.number().int().min(1).max(720).default(72),
  /** An endpoint is paused (and its council's admins e-mailed) after this many failed attempts in a row. */
  WEBHOOK_PAUSE_AFTER_FAILURES: z.coerce.number().int().min(1).max(1_000).default(20),
  /** After a secret rotation the previous secret also signs for this long, so receivers can switch. */
  WEBHOOK_SECRET_OVERLAP_HOURS: z.coerce.number().int().min(0).max(720).default(24),
  /** Deliveries claimed and sent at once by one relay round. */
  WEBHOOK_BATCH_SIZE: z.coerce.number().int().min(1).max(1_000).default(200),
  /** Finished webhook deliveries (with their attempts) and events no delivery needs are kept this long. */
  WEBHOOK_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /** A receipt whose follow-ups are still not done this long after it was stored is queued again. */
  RECEIPT_FOLLOW_UP_SWEEP_MINUTES: z.coerce.number().int().min(1).max(1440).default(10),
});

export type AppConfig = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/**
 * Validates the environment and returns the typed configuration.
 * @throws ConfigError naming every bad variable and why, so start-up fails with one clear message.
 */
export function loadConfig(env: NodeJS.ProcessEnv): AppConfig {
  const known = Object.fromEntries(
    Object.keys(envSchema.shape).map((key) => [key, env[key] === "" ? undefined : env[key]]),
  );
  const parsed = envSchema.safeParse(known);
  const issues = parsed.success
    ? productionIssues(parsed.data)
    : parsed.error.issues.map((issue) => ({ name: issue.path.join("."), message: issue.message }));
  if (parsed.success && issues.length === 0) return parsed.data;
  throw new ConfigError(
    issues.map(
      ({ name, message }) =>
        `${name}=${JSON.stringify(/SECRET|TOKEN/.test(name) ? "***" : (env[name] ?? ""))}: ${message}`,
    ),
  );
}

/** Development secrets have defaults so the demo runs out of the box; production must set its own. */
const DEV_SECRETS = [
  "STAFF_SESSION_SECRET",
  "OIDC_BACKOFFICE_CLIENT_SECRET",
  "OIDC_ADMIN_CLIENT_SECRET",
  "IUV_PERMUTATION_SECRET",
] as const;

/** URLs that must be https and not this machine in production (the defaults point at the simulator and dev IdPs). */
const PUBLIC_URLS = [
  "PUBLIC_BASE_URL",
  "OIDC_ISSUER_URL",
  "CHECKOUT_BASE_URL",
  "PAGOPA_BACKOFFICE_URL",
  "SPID_IDP_REGISTRY",
  "CIE_IDP_METADATA",
  "FDR_BASE_URL",
  "NODE_FOR_PA_URL",
  "PAGOPA_BIZEVENTS_URL",
  "PAGOPA_ACA_URL",
] as const;

const LOOPBACK_HOST = /^(localhost|.*\.localhost|127(\.\d{1,3}){3}|\[::1?\]|0\.0\.0\.0)$/i;

/** What is wrong with `value` as a production URL, or null. A plain file path (the registry) is left alone. */
function publicUrlProblem(value: string): string | null {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "not a valid URL";
  }
  if (url.protocol !== "https:") return "must be https in production";
  if (LOOPBACK_HOST.test(url.hostname))
    return "points at this machine (a development IdP or simulator): set the real service's URL";
  return null;
}

function productionIssues(config: AppConfig): Array<{ name: string; message: string }> {
  if (config.NODE_ENV !== "production") return [];
  const defaults = envSchema.parse({});
  const issues: Array<{ name: string; message: string }> = [
    ...DEV_SECRETS.filter((name) => config[name] === defaults[name]).map((name) => ({
      name,
      message: "the development default is refused in production: set a secret of your own",
    })),
    ...spidRegistryIssues(config),
  ];
  // One message per variable: an http registry is already named by the SPID check.
  for (const name of PUBLIC_URLS) {
    const message = publicUrlProblem(config[name]);
    if (message && !issues.some((i) => i.name === name)) issues.push({ name, message });
  }
  if (config.FDR_SOURCE === "soap" && config.NODE_FOR_PA_PASSWORD === defaults.NODE_FOR_PA_PASSWORD)
    issues.push({
      name: "NODE_FOR_PA_PASSWORD",
      message: "the development default is refused in production: set the station's nodeForPa password",
    });
  if (config.SMTP_URL === defaults.SMTP_URL)
    issues.push({
      name: "SMTP_URL",
      message: "the development mail catcher is refused in production: set your SMTP server",
    });
  return issues;
}

/** In production the IdP registry comes over https (or from a file) and must be signed by AgID. */
function spidRegistryIssues(config: AppConfig): Array<{ name: string; message: string }> {
  const issues: Array<{ name: string; message: string }> = [];
  if (/^http:\/\//i.test(config.SPID_IDP_REGISTRY))
    issues.push({
      name: "SPID_IDP_REGISTRY",
      message: "an http registry is refused in production: use https (AgID's registry) or a file",
    });
  if (!config.SPID_IDP_REGISTRY_CERT)
    issues.push({
      name: "SPID_IDP_REGISTRY_CERT",
      message: "required in production: AgID's registry signing certificate (PEM or file path)",
    });
  return issues;
}
