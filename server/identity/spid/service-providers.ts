import path from "node:path";
import type { Redis } from "ioredis";
import type { AppConfig } from "../../config/env.ts";
import { IdpDirectory } from "./idp-registry.ts";
import { CIE_ATTRIBUTES, PORTAL_ATTRIBUTES, SpidServiceProvider, type SpidSettings } from "./spid-service.ts";

/** What a council's SP needs from the tenants table. */
export interface SpTenant {
  ipaCode: string;
  name: string;
  contactEmail: string | null;
}
export type SpTenantLookup = (ipaCode: string) => Promise<SpTenant | null>;

export type SpidProvidersConfig = SpidSettings &
  Pick<
    AppConfig,
    | "SPID_SP_MODE"
    | "SPID_SP_ENTITY_ID"
    | "SPID_SP_KEY_DIR"
    | "SPID_IDP_REGISTRY"
    | "SPID_IDP_REGISTRY_CERT"
    | "SPID_IDP_REGISTRY_REFRESH_MINUTES"
    | "SPID_SP_IPA_CODE"
    | "SPID_SP_ORGANIZATION"
    | "SPID_SP_EMAIL"
    | "SPID_AGGREGATOR_FISCAL_CODE"
    | "SPID_AGGREGATOR_VAT_NUMBER"
    | "SPID_AGGREGATOR_PHONE"
    | "CIE_IDP_METADATA"
    | "CIE_SP_MUNICIPALITY"
  >;

const IPA_CODE = /^[a-z0-9_]{2,40}$/i;
/** A council's SP is rebuilt after this long, so a renamed council's metadata follows the table. */
const TENANT_SP_TTL_MS = 5 * 60_000;

/**
 * The platform's SPID service providers. The Region's SP (SPID_SP_*) always exists: in
 * `aggregator` mode it is the only one; in `per-tenant` mode every council is also an SP of its
 * own (entityID `<base>/spid/enti/<ipa>/metadata`, key under SPID_SP_KEY_DIR/<ipa>/, its IPA code
 * and name), built on first use and kept for a few minutes. All share one IdP registry.
 */
export class SpidServiceProviders {
  readonly aggregator: SpidServiceProvider;
  readonly idps: IdpDirectory;
  /**
   * The Region's CIE ID SP (null when CIE_IDP_METADATA is "none"): the same SAML profile and
   * checks as SPID, its own IdP (read from CIE_IDP_METADATA), metadata, endpoints under /cie and
   * key (SPID_SP_KEY_DIR/cie-sp). One for the platform in both SPID modes.
   */
  readonly cie: SpidServiceProvider | null;
  private readonly byTenant = new Map<string, { sp: SpidServiceProvider; at: number }>();
  private readonly base: string;

  constructor(
    private readonly config: SpidProvidersConfig,
    private readonly redis: Redis,
    private readonly findTenant: SpTenantLookup,
    onRegistryError?: (err: unknown) => void,
  ) {
    this.base = config.PUBLIC_BASE_URL.replace(/\/+$/, "");
    // Aggregator mode: the Region is a public full aggregator (Avviso 19) of itself, so its
    // entityID carries the activity code and the aggregated body's IPA code.
    const aggregatorMode = config.SPID_SP_MODE === "aggregator";
    const regionEntityId =
      config.SPID_SP_ENTITY_ID ??
      (aggregatorMode ? `${this.base}/spid/pub-ag-full/${config.SPID_SP_IPA_CODE}` : `${this.base}/spid/metadata`);
    this.idps = new IdpDirectory(config.SPID_IDP_REGISTRY, {
      certificate: config.SPID_IDP_REGISTRY_CERT,
      refreshMs: config.SPID_IDP_REGISTRY_REFRESH_MINUTES * 60_000,
      onRefreshError: onRegistryError,
    });
    this.aggregator = new SpidServiceProvider(
      {
        scheme: "spid",
        attributes: PORTAL_ATTRIBUTES,
        tenant: null,
        entityId: regionEntityId,
        acsUrl: `${this.base}/spid/acs`,
        sloUrl: `${this.base}/spid/slo`,
        keyDir: config.SPID_SP_KEY_DIR,
        ipaCode: config.SPID_SP_IPA_CODE,
        organization: config.SPID_SP_ORGANIZATION,
        email: config.SPID_SP_EMAIL,
        aggregator: aggregatorMode
          ? {
              company: config.SPID_SP_ORGANIZATION,
              fiscalCode: config.SPID_AGGREGATOR_FISCAL_CODE,
              vatNumber: config.SPID_AGGREGATOR_VAT_NUMBER,
              email: config.SPID_SP_EMAIL,
              phone: config.SPID_AGGREGATOR_PHONE,
            }
          : undefined,
      },
      config,
      redis,
      this.idps,
    );
    this.cie =
      config.CIE_IDP_METADATA === "none"
        ? null
        : new SpidServiceProvider(
            {
              scheme: "cie",
              attributes: CIE_ATTRIBUTES,
              municipality: config.CIE_SP_MUNICIPALITY,
              tenant: null,
              entityId: `${this.base}/cie/metadata`,
              acsUrl: `${this.base}/cie/acs`,
              sloUrl: `${this.base}/cie/slo`,
              // Not an IPA code (those have no "-"): never a council's key directory.
              keyDir: path.join(config.SPID_SP_KEY_DIR, "cie-sp"),
              ipaCode: config.SPID_SP_IPA_CODE,
              organization: config.SPID_SP_ORGANIZATION,
              email: config.SPID_SP_EMAIL,
            },
            config,
            redis,
            // The Ministry publishes one IdP's metadata, unsigned by any registry.
            new IdpDirectory(config.CIE_IDP_METADATA, {
              certificate: null,
              refreshMs: config.SPID_IDP_REGISTRY_REFRESH_MINUTES * 60_000,
              onRefreshError: onRegistryError,
            }),
          );
  }

  get perTenant(): boolean {
    return this.config.SPID_SP_MODE === "per-tenant";
  }

  /** The council's own SP; null in aggregator mode or when no council has that IPA code. */
  async forTenant(ipaCode: string): Promise<SpidServiceProvider | null> {
    if (!this.perTenant || !IPA_CODE.test(ipaCode)) return null;
    const cached = this.byTenant.get(ipaCode);
    if (cached && Date.now() - cached.at < TENANT_SP_TTL_MS) return cached.sp;
    const tenant = await this.findTenant(ipaCode);
    if (!tenant || !IPA_CODE.test(tenant.ipaCode)) return null;
    const root = `${this.base}/spid/enti/${encodeURIComponent(tenant.ipaCode)}`;
    const sp = new SpidServiceProvider(
      {
        scheme: "spid",
        attributes: PORTAL_ATTRIBUTES,
        tenant: tenant.ipaCode,
        entityId: `${root}/metadata`,
        acsUrl: `${root}/acs`,
        sloUrl: `${root}/slo`,
        keyDir: path.join(this.config.SPID_SP_KEY_DIR, tenant.ipaCode),
        ipaCode: tenant.ipaCode,
        organization: tenant.name,
        email: tenant.contactEmail ?? this.config.SPID_SP_EMAIL,
      },
      this.config,
      this.redis,
      this.idps,
    );
    this.byTenant.set(ipaCode, { sp, at: Date.now() });
    return sp;
  }

  /**
   * The SP a login uses: in per-tenant mode the council's, when the citizen logs in from one
   * (`ipaCode`); otherwise, and for pages of no council, the Region's.
   */
  async forLogin(ipaCode: string | null): Promise<SpidServiceProvider> {
    return (ipaCode ? await this.forTenant(ipaCode) : null) ?? this.aggregator;
  }

  /**
   * The SP that opened a session (its `scheme` and `spTenant`), which alone may ask the IdP to close it.
   * @returns null when that council's SP no longer exists (mode changed, council removed)
   */
  async forSession(spTenant: string | null, scheme: "spid" | "cie" = "spid"): Promise<SpidServiceProvider | null> {
    if (scheme === "cie") return this.cie;
    return spTenant ? this.forTenant(spTenant) : this.aggregator;
  }
}
