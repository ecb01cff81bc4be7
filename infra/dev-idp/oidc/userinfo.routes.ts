import express, { type Router } from "express";
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from "jose";
import { userClaims } from "./claims.ts";
import { KEYCLOAK_ROUTES } from "./provider.ts";
import type { UserDirectory } from "./user-directory.ts";

/**
 * Keycloak's userinfo endpoint. oidc-provider only serves userinfo for opaque tokens without an
 * audience, while this realm (like Keycloak) issues JWT access tokens with one, so the endpoint
 * is ours: it verifies the access token against the realm key and answers with the user's claims.
 */
export function userinfoRoutes(options: { issuer: string; jwks: JSONWebKeySet; directory: UserDirectory }): Router {
  const router = express.Router();
  const keys = createLocalJWKSet(options.jwks);
  const handler: express.RequestHandler = async (req, res) => {
    const header = req.headers.authorization ?? "";
    const token =
      /^Bearer\s+(\S+)$/i.exec(header)?.[1] ??
      (typeof req.body?.access_token === "string" ? req.body.access_token : undefined);
    const deny = (error: string, description: string, status = 401) => {
      res
        .status(status)
        .set(
          "WWW-Authenticate",
          `Bearer realm="${new URL(options.issuer).pathname.split("/").pop()}", error="${error}", error_description="${description}"`,
        )
        .json({ error, error_description: description });
    };
    if (!token) return deny("invalid_request", "missing access token", 400);
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: options.issuer,
        algorithms: ["RS256"],
        typ: "at+jwt",
      });
      const scopes = String(payload.scope ?? "").split(" ");
      if (!scopes.includes("openid")) return deny("insufficient_scope", "missing openid scope", 403);
      const user = payload.sub ? options.directory.byId(payload.sub) : undefined;
      if (!user) return deny("invalid_token", "user not found");
      res.set("Cache-Control", "no-store").json(userClaims(user, options.directory.groupRolesOf));
    } catch {
      deny("invalid_token", "token verification failed");
    }
  };
  router.get(KEYCLOAK_ROUTES.userinfo, handler);
  router.post(KEYCLOAK_ROUTES.userinfo, express.urlencoded({ extended: false, limit: "8kb" }), handler);
  return router;
}
