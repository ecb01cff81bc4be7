import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Redis } from "ioredis";
import { z } from "zod";
import type { AppConfig } from "../../config/env.ts";
import { buildAuthnRequest, redirectUrl, type SpidLevel } from "./authn-request.ts";
import { loadIdpRegistry, type IdentityProvider } from "./idp-registry.ts";
import { firstUseOfAssertion } from "./replay-guard.ts";
import { generateSpCertificate } from "./sp-certificate.ts";
import { buildSpMetadata, type SpidAttribute } from "./sp-metadata.ts";
import { INVALID_RESPONSE, SpidLoginError } from "./spid-errors.ts";
import { validateSpidResponse, type SpidIdentity } from "./validate-response.ts";

/** The attributes the portal asks for (AttributeConsumingService index 0). */
export const PORTAL_ATTRIBUTES: SpidAttribute[] = ["fiscalNumber", "name", "familyName", "email"];
const PENDING_SECONDS = 15 * 60;
const pendingSchema = z.object({ issueInstant: z.string(), level: z.number().int(), idp: z.string(), returnTo: z.string() });

type SpidConfig = Pick<AppConfig, "PUBLIC_BASE_URL" | "NODE_ENV" | "QUEUE_PREFIX" | "SPID_SP_ENTITY_ID" | "SPID_SP_KEY_DIR" | "SPID_IDP_REGISTRY" | "SPID_SP_IPA_CODE" | "SPID_SP_ORGANIZATION" | "SPID_SP_EMAIL" | "SPID_LEVEL">;

/**
 * The portal's SPID service provider: metadata, login requests (remembered in Redis until the
 * answer, single use), and the answer's validation with the replay guard.
 */
export class SpidServiceProvider {
  readonly entityId: string;
  readonly acsUrl: string;
  readonly sloUrl: string;
  private keys: { keyPem: string; certPem: string } | null = null;
  private idps: IdentityProvider[] | null = null;

  constructor(
    private readonly config: SpidConfig,
    private readonly redis: Redis,
  ) {
    const base = config.PUBLIC_BASE_URL.replace(/\/+$/, "");
    this.entityId = config.SPID_SP_ENTITY_ID ?? `${base}/spid/metadata`;
    this.acsUrl = `${base}/spid/acs`;
    this.sloUrl = `${base}/spid/slo`;
  }

  /** The SP key pair: from SPID_SP_KEY_DIR, generated there on first use outside production. */
  private spKeys(): { keyPem: string; certPem: string } {
    if (this.keys) return this.keys;
    const keyFile = path.join(this.config.SPID_SP_KEY_DIR, "spid-sp-key.pem");
    const certFile = path.join(this.config.SPID_SP_KEY_DIR, "spid-sp-cert.pem");
    if (!existsSync(keyFile) || !existsSync(certFile)) {
      if (this.config.NODE_ENV === "production") throw new Error(`SPID SP key missing in ${this.config.SPID_SP_KEY_DIR}: create it with npm run spid:cert`);
      const made = generateSpCertificate({ ipaCode: this.config.SPID_SP_IPA_CODE, organizationName: this.config.SPID_SP_ORGANIZATION, entityId: this.entityId, localityName: "Roma" }, { bits: 2048 });
      mkdirSync(this.config.SPID_SP_KEY_DIR, { recursive: true });
      writeFileSync(keyFile, made.keyPem, { mode: 0o600 });
      writeFileSync(certFile, made.certPem);
    }
    this.keys = { keyPem: readFileSync(keyFile, "utf8"), certPem: readFileSync(certFile, "utf8") };
    return this.keys;
  }

  metadata(): string {
    const { keyPem, certPem } = this.spKeys();
    return buildSpMetadata({
      entityId: this.entityId,
      acsUrl: this.acsUrl,
      sloUrl: this.sloUrl,
      attributeSets: [{ index: 0, name: "Pagamenti pagoPA", attributes: PORTAL_ATTRIBUTES }],
      organization: { name: this.config.SPID_SP_ORGANIZATION, displayName: this.config.SPID_SP_ORGANIZATION, url: this.config.PUBLIC_BASE_URL },
      publicBody: { ipaCode: this.config.SPID_SP_IPA_CODE, email: this.config.SPID_SP_EMAIL },
      keyPem,
      certPem,
    });
  }

  /** The IdPs to offer, in random order each time (SPID's rule: no IdP favoured). */
  async identityProviders(): Promise<IdentityProvider[]> {
    this.idps ??= await loadIdpRegistry(this.config.SPID_IDP_REGISTRY);
    return [...this.idps].sort(() => Math.random() - 0.5);
  }

  private async idp(entityId: string): Promise<IdentityProvider | null> {
    const find = () => this.idps?.find((i) => i.entityId === entityId) ?? null;
    if (!find()) this.idps = await loadIdpRegistry(this.config.SPID_IDP_REGISTRY); // registry updated meanwhile
    return find();
  }

  /** The URL that sends the browser to the chosen IdP with a signed request. */
  async loginUrl(idpEntityId: string, returnTo: string): Promise<string> {
    const idp = await this.idp(idpEntityId);
    if (!idp) throw new SpidLoginError(`unknown IdP ${idpEntityId}`, "Gestore di identità non riconosciuto.");
    const level = this.config.SPID_LEVEL as SpidLevel;
    const request = buildAuthnRequest({ spEntityId: this.entityId, idpSsoUrl: idp.ssoRedirectUrl, level, attributeIndex: 0 });
    await this.redis.set(this.pendingKey(request.id), JSON.stringify({ issueInstant: request.issueInstant, level, idp: idp.entityId, returnTo }), "EX", PENDING_SECONDS);
    return redirectUrl(idp.ssoRedirectUrl, request.xml, this.spKeys().keyPem);
  }

  /**
   * Checks the IdP's answer: it must answer a request of ours still pending (each is used once),
   * come from that request's IdP and pass every SPID check; an assertion is accepted once.
   * @throws SpidLoginError
   */
  async acceptResponse(samlResponse: string): Promise<{ identity: SpidIdentity; returnTo: string }> {
    const inResponseTo = /InResponseTo="([^"]{1,100})"/.exec(Buffer.from(samlResponse, "base64").toString("utf8"))?.[1];
    const raw = inResponseTo ? await this.redis.getdel(this.pendingKey(inResponseTo)) : null;
    const pending = raw ? pendingSchema.safeParse(JSON.parse(raw)) : null;
    if (!pending?.success) throw new SpidLoginError("no pending request for InResponseTo", INVALID_RESPONSE);
    const idp = await this.idp(pending.data.idp);
    if (!idp) throw new SpidLoginError("IdP of the request no longer in the registry", INVALID_RESPONSE);
    const identity = validateSpidResponse(samlResponse, {
      spEntityId: this.entityId,
      acsUrl: this.acsUrl,
      idpEntityId: idp.entityId,
      idpCertificates: idp.certificates,
      request: { id: inResponseTo!, issueInstant: pending.data.issueInstant, level: pending.data.level as SpidLevel, attributes: PORTAL_ATTRIBUTES },
    });
    if (!(await firstUseOfAssertion(this.redis, this.config.QUEUE_PREFIX, identity.idp, identity.assertionId, identity.notOnOrAfter))) {
      throw new SpidLoginError("assertion replayed", INVALID_RESPONSE);
    }
    return { identity, returnTo: pending.data.returnTo };
  }

  private pendingKey(id: string) {
    return `${this.config.QUEUE_PREFIX}:spid:pending:${id}`;
  }
}
