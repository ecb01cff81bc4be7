import type { NextFunction, Request, RequestHandler, Response } from "express";
import type { Tenant } from "../../generated/prisma/client.ts";
import { AppError } from "../errors.ts";

declare module "express-serve-static-core" {
  interface Locals {
    /** The council the request acts on, set by `resolveTenant` before any handler of that council runs. */
    tenant?: Tenant;
  }
}

export interface ResolveTenantOptions {
  /** Finds a council by its (lower-case) IPA code; passed in so `platform/` knows no feature module. */
  find: (ipaCode: string) => Promise<Tenant | null>;
  /**
   * Whether the caller may act for this IPA code at all. Runs before anything is read, so a
   * caller learns nothing about councils it has no business with (403, whether or not it exists).
   */
  authorize?: (ipaCode: string, res: Response) => boolean;
  /** Whether a council that exists may be served on this surface (e.g. live on the portal); otherwise 404. */
  visible?: (tenant: Tenant) => boolean;
  /** Route parameter holding the IPA code (default `ipa`). */
  param?: string;
  forbiddenMessage?: string;
  notFoundMessage?: string;
}

/**
 * The one way a request names its council: `:ipa` in the path, checked against the caller,
 * looked up, and stored in `res.locals.tenant`. Handlers then work inside
 * `db.withTenant(tenant.id)`, so row-level security stops another council's ids even if a
 * check were missing (the second and third of the three tenancy layers).
 */
export function resolveTenant(options: ResolveTenantOptions): RequestHandler {
  const param = options.param ?? "ipa";
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const ipa = String(req.params[param] ?? "").toLowerCase();
      if (options.authorize && !options.authorize(ipa, res)) {
        return next(
          new AppError("FORBIDDEN", options.forbiddenMessage ?? "Non sei autorizzato a operare per questo ente", 403),
        );
      }
      const tenant = /^[a-z0-9_]{1,35}$/.test(ipa) ? await options.find(ipa) : null;
      if (!tenant || (options.visible && !options.visible(tenant))) {
        return next(new AppError("NOT_FOUND", options.notFoundMessage ?? "Ente non trovato", 404));
      }
      res.locals.tenant = tenant;
      next();
    } catch (error) {
      next(error);
    }
  };
}

/** The council `resolveTenant` stored; a programming error (500) if the route was mounted without it. */
export function tenantOf(res: Response): Tenant {
  const tenant = res.locals.tenant;
  if (!tenant) throw new AppError("INTERNAL", "Route mounted without resolveTenant", 500);
  return tenant;
}
