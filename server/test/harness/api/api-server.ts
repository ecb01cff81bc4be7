import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import express, { type Router } from "express";
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from "jose";
import type { Deps } from "../../../platform/deps.ts";
import { problemHandler } from "../../../platform/http/problem.ts";
import { apiRoutes } from "../../../api/api.routes.ts";
import { createApiTokenVerifier } from "../../../api/api-token.ts";

const ISSUER = "http://realm.test/realms/pontepa";
export const ALL_API_ROLES = ["positions.read", "positions.write", "receipts.read", "payments.write"];

export interface RunningApi {
  base: string;
  router: Router;
  /** A client-credentials access token as the realm signs it for a council system. */
  token(opts: { clientId: string; ipa: string; roles?: string[] }): Promise<string>;
  close(): Promise<void>;
}

/** `/api/v1` alone on a local port, trusting a key made for the run instead of the realm's JWKS. */
export async function startApi(deps: Deps): Promise<RunningApi> {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const keys = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: "k", alg: "RS256" }] });
  const router = apiRoutes(deps, createApiTokenVerifier({ issuer: ISSUER, audience: "pontepa-api", keys }));
  const server: Server = express()
    .use(express.json())
    .use("/api/v1", router)
    .use(problemHandler)
    .listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`,
    router,
    token: ({ clientId, ipa, roles = ALL_API_ROLES }) =>
      new SignJWT({
        typ: "Bearer",
        azp: clientId,
        groups: [`/tenants/${ipa}/systems`],
        resource_access: { "pontepa-api": { roles } },
      })
        .setProtectedHeader({ alg: "RS256", kid: "k" })
        .setIssuer(ISSUER)
        .setAudience("pontepa-api")
        .setIssuedAt()
        .setExpirationTime("10m")
        .sign(privateKey),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A JSON call with a bearer token (and an Idempotency-Key when given). */
export function apiCall(base: string, bearer: string) {
  return async (method: string, path: string, body?: unknown, idempotencyKey?: string) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${bearer}`,
        // FormData (a multipart upload) sets its own content type with the boundary.
        ...(body === undefined || body instanceof FormData ? {} : { "content-type": "application/json" }),
        ...(idempotencyKey ? { "idempotency-key": idempotencyKey } : {}),
      },
      body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
    });
    const type = res.headers.get("content-type") ?? "";
    const json = type.includes("json") ? ((await res.json()) as Record<string, any>) : undefined; // eslint-disable-line @typescript-eslint/no-explicit-any
    return { status: res.status, headers: res.headers, json: json ?? {}, res };
  };
}
