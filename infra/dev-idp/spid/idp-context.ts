import { randomBytes } from "node:crypto";
import type { Request } from "express";
import type { Logger } from "pino";
import type { ValidAuthnRequest } from "./authn-request.ts";
import type { IdpSigning } from "./build-response.ts";
import type { IdpFlavour } from "./identities.ts";
import type { IncomingMessage } from "./saml-message.ts";
import type { ScenarioState } from "./scenarios.ts";
import type { SpRegistry } from "./sp-registry.ts";

/** A validated AuthnRequest waiting for the user to log in. */
export interface PendingLogin {
  req: ValidAuthnRequest;
  createdAt: number;
  failedAttempts: number;
}

/** The last Response sent, kept for the replay scenario. */
export interface SentResponse {
  acsUrl: string;
  samlResponse: string;
  relayState?: string;
}

/** Everything the route handlers share; built once by createSpidIdp. */
export interface IdpContext {
  /** SPID or CIE ID: the identities offered and the words on the pages. */
  flavour: IdpFlavour;
  entityId: string;
  ssoUrl: string;
  sloUrl: string;
  signing: IdpSigning;
  registry: SpRegistry;
  scenarios: ScenarioState;
  pending: PendingLogins;
  lastResponse?: SentResponse;
  metadataXml: string;
  logger: Logger;
  now: () => Date;
  /** Re-reads SP metadata from the configured URLs (dev convenience); resolves even on failure. */
  refreshSpMetadata: () => Promise<void>;
}

/** After this long on the login page the IdP answers ErrorCode nr21 (timeout). */
export const LOGIN_TIMEOUT_MS = 10 * 60 * 1000;
const FORGET_AFTER_MS = 60 * 60 * 1000;

/** In-memory store of pending logins, keyed by an unguessable token carried by the login form. */
export class PendingLogins {
  private readonly byToken = new Map<string, PendingLogin>();

  add(req: ValidAuthnRequest, now: number): string {
    for (const [token, entry] of this.byToken) {
      if (now - entry.createdAt > FORGET_AFTER_MS) this.byToken.delete(token);
    }
    const token = randomBytes(24).toString("base64url");
    this.byToken.set(token, { req, createdAt: now, failedAttempts: 0 });
    return token;
  }

  get(token: string): PendingLogin | undefined {
    return this.byToken.get(token);
  }

  delete(token: string): void {
    this.byToken.delete(token);
  }
}

/** Packs an Express request as a SAML binding message (redirect on GET, post on POST). */
export function incomingMessage(req: Request): IncomingMessage {
  const rawQuery = req.originalUrl.includes("?") ? req.originalUrl.slice(req.originalUrl.indexOf("?") + 1) : "";
  const query = req.query as Record<string, unknown>;
  const body = (req.body ?? {}) as Record<string, unknown>;
  return req.method === "GET"
    ? { binding: "redirect", rawQuery, params: query, otherSide: body }
    : { binding: "post", rawQuery, params: body, otherSide: query };
}
