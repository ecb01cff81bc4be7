import type { NextFunction, Request, Response } from "express";
import { AppError } from "../platform/errors.ts";
import { ApiTokenError, type ApiPrincipal } from "./api-token.ts";

declare module "express-serve-static-core" {
  interface Locals {
    apiPrincipal?: ApiPrincipal;
  }
}

/** 401 with the RFC 6750 challenge, so OAuth clients know to fetch a new token. */
function unauthorized(res: Response, description: string): AppError {
  res.set(
    "WWW-Authenticate",
    `Bearer realm="pontepa", error="invalid_token", error_description="${description.replace(/"/g, "'")}"`,
  );
  return new AppError("UNAUTHORIZED", `Bearer token refused: ${description}`, 401);
}

/** Requires `Authorization: Bearer <token>` verified by `verify`; the principal goes to res.locals. */
export function requireApiToken(verify: (token: string) => Promise<ApiPrincipal>) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const header = req.headers.authorization ?? "";
    const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(header);
    if (!match) return next(unauthorized(res, "missing bearer token"));
    try {
      res.locals.apiPrincipal = await verify(match[1]!);
      next();
    } catch (err) {
      next(err instanceof ApiTokenError ? unauthorized(res, err.message) : err);
    }
  };
}
