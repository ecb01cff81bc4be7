import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Redis } from "ioredis";
import { z } from "zod";
import type { AppConfig } from "../../config/env.ts";
import { buildAuthnRequest, redirectUrl, type SpidLevel } from "./authn-request.ts";
import type { IdentityProvider, IdpDirectory } from "./idp-registry.ts";
import { buildLogoutRequest } from "./logout-request.ts";
import { firstUseOfAssertion } from "./replay-guard.ts";
import { loadOrCreateSpKeys, type SpKeys } from "./sp-keys.ts";
import { buildSpMetadata, type SpidAttribute, type SpMetadataOptions } from "./sp-metadata.ts";
import { INVALID_RESPONSE, SpidLoginError } from "./spid-errors.ts";
import {
  LOGOUT_NOT_CONFIRMED,
  readLogoutResponse,
  validateLogoutResponse,
  type LogoutResponseMessage,
} from "./validate-logout-response.ts";
import { validateSpidResponse, type SpidIdentity } from "./validate-response.ts";

/** The attributes the portal asks SPID for (AttributeConsumingService index 0). */
export const PORTAL_ATTRIBUTES: SpidAttribute[] = ["fiscalNumber", "name", "familyName", "email"];
/** What the portal asks CIE ID for: CIE certifies no e-mail address. */
export const CIE_ATTRIBUTES: SpidAttribute[] = ["fiscalNumber", "name", "familyName", "dateOfBirth"];
const PENDING_SECONDS = 15 * 60;
const pendingSchema = z.object({
  issueInstant: z.string(),
  level: z.number().int(),
  idp: z.string(),
  returnTo: z.string(),
  /** SHA-256 of the browser key: the login cookie of the browser that started this login. */
  browser: z.string(),
  relayState: z.string(),
  /** The SP that sent the request: only its ACS may take the answer. */
  sp: z.string(),
});
const sha256 = (s: string) => createHash("sha256").update(s).digest();

/** A login just started: where to send the browser, and the key it must show back at the ACS. */
export interface LoginStart {
  url: string;
  /** Random, for the login cookie of this browser only (the ACS compares it with the request's). */
  browserKey: string;
}

/** What the browser brought to the ACS besides the SAMLResponse. */
export interface AcsPost {
  /** The login cookie, if the browser sent one. */
  browserKey: string | undefined;
  relayState: string | undefined;
}
const pendingLogoutSchema = z.object({ issueInstant: z.string(), idp: z.string(), sp: z.string() });

/**
 * Who an SP is: the Region as aggregator, or one council as its own SP (`tenant` = its IPA code);
 * for SPID, or the Region's SP for CIE ID (the same SAML profile, its own IdP and metadata).
 */
export interface SpProfile {
  scheme: "spid" | "cie";
  /** AttributeConsumingService index 0 of the metadata: what every login asks for. */
  attributes: SpidAttribute[];
  /** CIE only: the body's municipality (cadastral code) in the metadata. */
  municipality?: string;
  tenant: string | null;
  entityId: string;
  acsUrl: string;
  sloUrl: string;
  /** Where its key and certificate are (`spid-sp-key.pem`, `spid-sp-cert.pem`). */
  keyDir: string;
  /** The public body running it: metadata spid:IPACode and Organization, certificate subject. */
  ipaCode: string;
  organization: string;
  email: string;
  /** Set when this SP is the platform as public full aggregator (aggregator mode): the aggregator's contact. */
  aggregator?: SpMetadataOptions["aggregator"];
}

export type SpidSettings = Pick<AppConfig, "PUBLIC_BASE_URL" | "NODE_ENV" | "QUEUE_PREFIX" | "SPID_LEVEL">;

/** What a LogoutRequest needs from the citizen's session (the assertion that opened it). */
export interface SpidSessionRef {
  idp: string;
  nameId: string;
  sessionIndex: string | null;
}

/**
 * One SPID service provider: metadata, login and logout requests (remembered in Redis until the
 * answer, single use), and the answers' validation (assertions with the replay guard).
 */
export class SpidServiceProvider {
  readonly scheme: "spid" | "cie";
  readonly tenant: string | null;
  readonly entityId: string;
  readonly acsUrl: string;
  readonly sloUrl: string;
  private keys: SpKeys | null = null;

  constructor(
    readonly profile: SpProfile,
    private readonly settings: SpidSettings,
    private readonly redis: Redis,
    private readonly idps: IdpDirectory,
  ) {
    ({
      scheme: this.scheme,
      tenant: this.tenant,
      entityId: this.entityId,
      acsUrl: this.acsUrl,
      sloUrl: this.sloUrl,
    } = profile);
  }

  /** The SP key pair: from its key directory, generated there on first use outside production. */
  spKeys(): SpKeys {
    const p = this.profile;
    this.keys ??= loadOrCreateSpKeys(
      p.keyDir,
      { ipaCode: p.ipaCode, organizationName: p.organization, entityId: p.entityId, localityName: "Roma" },
      this.settings.NODE_ENV === "production",
    );
    return this.keys;
  }

  metadata(): string {
    const { keyPem, certPem } = this.spKeys();
    const p = this.profile;
    return buildSpMetadata({
      entityId: p.entityId,
      acsUrl: p.acsUrl,
      sloUrl: p.sloUrl,
      attributeSets: [{ index: 0, name: "Pagamenti pagoPA", attributes: p.attributes }],
      organization: { name: p.organization, displayName: p.organization, url: this.settings.PUBLIC_BASE_URL },
      publicBody: { ipaCode: p.ipaCode, email: p.email },
      aggregator: p.aggregator,
      scheme: p.scheme,
      municipality: p.municipality,
      keyPem,
      certPem,
    });
  }

  /** The IdPs to offer, in random order each time (SPID's rule: no IdP favoured). */
  async identityProviders(): Promise<IdentityProvider[]> {
    return [...(await this.idps.list())].sort(() => Math.random() - 0.5);
  }

  /**
   * Starts a login: the URL that sends the browser to the chosen IdP with a signed request, and
   * the key the browser keeps in a cookie; the pending request remembers only the key's hash, so
   * its answer is accepted from that browser alone (login CSRF: an attacker's own Response posted
   * from a victim's browser finds no key). RelayState is opaque: the return path stays here.
   */
  async startLogin(idpEntityId: string, returnTo: string): Promise<LoginStart> {
    const idp = await this.idps.find(idpEntityId);
    if (!idp) throw new SpidLoginError(`unknown IdP ${idpEntityId}`, "Gestore di identità non riconosciuto.");
    const level = this.settings.SPID_LEVEL as SpidLevel;
    const request = buildAuthnRequest({
      spEntityId: this.entityId,
      idpSsoUrl: idp.ssoRedirectUrl,
      level,
      attributeIndex: 0,
    });
    const browserKey = randomBytes(32).toString("base64url");
    const relayState = randomBytes(16).toString("base64url");
    const pending = {
      issueInstant: request.issueInstant,
      level,
      idp: idp.entityId,
      returnTo,
      browser: sha256(browserKey).toString("hex"),
      relayState,
      sp: this.entityId,
    };
    await this.redis.set(this.pendingKey(request.id), JSON.stringify(pending), "EX", PENDING_SECONDS);
    return { url: redirectUrl(idp.ssoRedirectUrl, request.xml, this.spKeys().keyPem, relayState), browserKey };
  }

  /**
   * Checks the IdP's answer: it must answer a request still pending (each is used once), come
   * from that request's IdP and pass every SPID check against this SP (Destination, Recipient,
   * Audience: an answer meant for another SP of the platform fails here), be posted by the
   * browser that started the login (its key) with the request's RelayState; an assertion is
   * accepted once. The pending request is taken before any check, so a refused answer burns it.
   * @throws SpidLoginError
   */
  async acceptResponse(samlResponse: string, post: AcsPost): Promise<{ identity: SpidIdentity; returnTo: string }> {
    const inResponseTo = /InResponseTo="([^"]{1,100})"/.exec(Buffer.from(samlResponse, "base64").toString("utf8"))?.[1];
    const raw = inResponseTo ? await this.redis.getdel(this.pendingKey(inResponseTo)) : null;
    const pending = raw ? pendingSchema.safeParse(JSON.parse(raw)) : null;
    if (!pending?.success) throw new SpidLoginError("no pending request for InResponseTo", INVALID_RESPONSE);
    if (pending.data.sp !== this.entityId)
      throw new SpidLoginError(`answer to a request of another SP (${pending.data.sp})`, INVALID_RESPONSE);
    if (!post.browserKey || !timingSafeEqual(sha256(post.browserKey), Buffer.from(pending.data.browser, "hex"))) {
      throw new SpidLoginError(
        "Response posted by a browser that did not start this login (no or another login cookie)",
        INVALID_RESPONSE,
      );
    }
    if (post.relayState !== pending.data.relayState)
      throw new SpidLoginError("RelayState is not the request's", INVALID_RESPONSE);
    const idp = await this.idps.find(pending.data.idp);
    if (!idp) throw new SpidLoginError("IdP of the request no longer in the registry", INVALID_RESPONSE);
    const identity = await validateSpidResponse(samlResponse, {
      spEntityId: this.entityId,
      acsUrl: this.acsUrl,
      idpEntityId: idp.entityId,
      idpCertificates: idp.certificates,
      request: {
        id: inResponseTo!,
        issueInstant: pending.data.issueInstant,
        level: pending.data.level as SpidLevel,
        attributes: this.profile.attributes,
      },
    });
    if (
      !(await firstUseOfAssertion(
        this.redis,
        this.settings.QUEUE_PREFIX,
        identity.idp,
        identity.assertionId,
        identity.notOnOrAfter,
      ))
    ) {
      throw new SpidLoginError("assertion replayed", INVALID_RESPONSE);
    }
    return { identity, returnTo: pending.data.returnTo };
  }

  /**
   * The URL that sends the browser to the session's IdP with a signed LogoutRequest (SP-initiated
   * single logout), remembered until the IdP answers. The caller ends our own session first.
   * @throws SpidLoginError when the IdP cannot be asked (unknown, no SingleLogoutService, no SessionIndex)
   */
  async logoutUrl(session: SpidSessionRef): Promise<string> {
    const idp = await this.idps.find(session.idp);
    if (!idp?.sloRedirectUrl)
      throw new SpidLoginError(
        `IdP ${session.idp} unknown or without an HTTP-Redirect SingleLogoutService`,
        LOGOUT_NOT_CONFIRMED,
      );
    if (!session.sessionIndex) throw new SpidLoginError("session without SessionIndex", LOGOUT_NOT_CONFIRMED);
    const request = buildLogoutRequest({
      spEntityId: this.entityId,
      idpEntityId: idp.entityId,
      idpSloUrl: idp.sloRedirectUrl,
      nameId: session.nameId,
      sessionIndex: session.sessionIndex,
    });
    await this.redis.set(
      this.logoutKey(request.id),
      JSON.stringify({ issueInstant: request.issueInstant, idp: idp.entityId, sp: this.entityId }),
      "EX",
      PENDING_SECONDS,
    );
    return redirectUrl(idp.sloRedirectUrl, request.xml, this.spKeys().keyPem);
  }

  /**
   * Checks the IdP's LogoutResponse: it must answer a LogoutRequest of this SP still pending
   * (taken once, so a replay finds nothing) and pass every check against that request's IdP.
   * @throws SpidLoginError
   */
  async acceptLogoutResponse(message: LogoutResponseMessage): Promise<void> {
    const decoded = readLogoutResponse(message);
    const id = decoded.inResponseTo;
    const raw = id && id.length <= 100 ? await this.redis.getdel(this.logoutKey(id)) : null;
    const pending = raw ? pendingLogoutSchema.safeParse(JSON.parse(raw)) : null;
    if (!pending?.success) throw new SpidLoginError("no pending LogoutRequest for InResponseTo", LOGOUT_NOT_CONFIRMED);
    if (pending.data.sp !== this.entityId)
      throw new SpidLoginError("LogoutResponse for another SP of the platform", LOGOUT_NOT_CONFIRMED);
    const idp = await this.idps.find(pending.data.idp);
    if (!idp) throw new SpidLoginError("IdP of the LogoutRequest no longer in the registry", LOGOUT_NOT_CONFIRMED);
    validateLogoutResponse(decoded, {
      sloUrl: this.sloUrl,
      idpEntityId: idp.entityId,
      idpCertificates: idp.certificates,
      request: { id: id!, issueInstant: pending.data.issueInstant },
    });
  }

  private pendingKey(id: string) {
    return `${this.settings.QUEUE_PREFIX}:spid:pending:${id}`;
  }

  private logoutKey(id: string) {
    return `${this.settings.QUEUE_PREFIX}:spid:logout:${id}`;
  }
}
