import { createHash } from "node:crypto";
import { Router, type RequestHandler } from "express";
import { findTenantByIpaCode, getCouncilLogo, getCouncilProfile } from "../../server/tenancy/index.ts";
import { isPayableTenant } from "../../server/checkout/index.ts";
import { AppError } from "../../server/platform/errors.ts";
import { sendLogo } from "../shared/send-logo.ts";
import type { CitizenContext } from "./citizen.context.ts";

declare module "express-serve-static-core" {
  interface Locals {
    /** The council's look and contacts on its portal pages (the layout reads them). */
    council?: CouncilLook;
  }
}

export interface CouncilLook {
  ipaCode: string;
  name: string;
  themeHref: string | null;
  logoHref: string | null;
  email: string | null;
  pec: string | null;
  phone: string | null;
  officeHours: string | null;
  address: string | null;
  hasPrivacy: boolean;
  privacyText: string | null;
  privacyUrl: string | null;
}

/** The council's stylesheet: its colour behind the header, the menu, the primary buttons and the contacts footer (white text). */
function themeCss(colour: string): string {
  return [
    `.it-header-slim-wrapper,.it-header-center-wrapper,.it-header-navbar-wrapper{background-color:${colour}!important}`,
    `.btn-primary{background-color:${colour}!important;border-color:${colour}!important;color:#fff!important}`,
    // White text on the colour passes AA (checked when saved), so the contacts block can wear it too.
    `.pontepa-council-footer{background-color:${colour}!important}`,
    "",
  ].join("\n");
}

const version = (s: string) => createHash("sha256").update(s).digest("hex").slice(0, 16);

/**
 * A council's branding on its portal pages (issue 17 item 6): every page under /enti/:ipa gets
 * its logo, colour, contacts and privacy notice in the layout; the logo and the stylesheet are
 * served with long caching (their URLs carry a hash of their content).
 */
export function councilLookPages(ctx: CitizenContext): Router {
  const router = Router();
  const production = ctx.deps.config.NODE_ENV === "production";
  const visibleCouncil = async (ipa: string) => {
    const code = ipa.toLowerCase();
    if (!/^[a-z0-9_]{1,35}$/.test(code)) return null;
    const tenant = await findTenantByIpaCode(ctx.deps.db, code);
    return tenant && isPayableTenant(tenant, production) ? tenant : null;
  };

  const look: RequestHandler = async (req, res, next) => {
    if (req.method !== "GET" && req.method !== "POST") return next();
    const tenant = await visibleCouncil(String(req.params.ipa ?? ""));
    if (!tenant) return next();
    const p = await getCouncilProfile(ctx.deps.db, tenant.id);
    const base = `/enti/${tenant.ipaCode}`;
    res.locals.council = {
      ipaCode: tenant.ipaCode,
      name: tenant.name,
      themeHref: p.primaryColor ? `${base}/tema.css?v=${version(p.primaryColor)}` : null,
      logoHref: p.logoSha256 ? `${base}/logo?v=${p.logoSha256}` : null,
      email: p.email ?? tenant.contactEmail,
      pec: p.pec,
      phone: p.phone,
      officeHours: p.officeHours,
      address: p.address,
      hasPrivacy: Boolean(p.privacyText || p.privacyUrl),
      privacyText: p.privacyText,
      privacyUrl: p.privacyUrl,
    };
    next();
  };
  router.use("/enti/:ipa", look);

  router.get("/enti/:ipa/logo", async (req, res) => {
    const tenant = await visibleCouncil(req.params.ipa);
    const logo = tenant ? await getCouncilLogo(ctx.deps.db, tenant.id) : null;
    if (!logo) throw new AppError("NOT_FOUND", "Logo non trovato", 404);
    sendLogo(req, res, logo, "public");
  });

  router.get("/enti/:ipa/tema.css", async (req, res) => {
    const tenant = await visibleCouncil(req.params.ipa);
    const colour = tenant ? (await getCouncilProfile(ctx.deps.db, tenant.id)).primaryColor : null;
    if (!colour) throw new AppError("NOT_FOUND", "Tema non trovato", 404);
    const css = themeCss(colour);
    res.set(
      "Cache-Control",
      req.query.v === version(colour) ? "public, max-age=31536000, immutable" : "public, max-age=0, must-revalidate",
    );
    res.type("text/css").send(css);
  });

  router.get("/enti/:ipa/privacy", (_req, res) => {
    const council = res.locals.council;
    if (!council) throw new AppError("NOT_FOUND", "Ente non trovato", 404);
    res.render("citizen/views/council-privacy", {
      title: `Informativa privacy - ${council.name}`,
      tenant: { ipaCode: council.ipaCode, name: council.name },
      paragraphs: (council.privacyText ?? "").split(/\n\s*\n/).filter((s) => s.trim()),
    });
  });
  return router;
}
