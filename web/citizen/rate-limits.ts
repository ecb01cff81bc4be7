import type { Request } from "express";
import type { RateLimitBucket } from "../../server/platform/http/rate-limit.ts";

const post = (req: Request, path: RegExp) => req.method === "POST" && path.test(req.path);

/**
 * The portal's budgets, per client address and per browser session. A person never meets them;
 * a script does: enumerating notice numbers, creating positions and IUVs in bulk, or making
 * Chromium print PDFs all day (issue 13 items 1 and 3).
 */
export const PORTAL_RATE_LIMITS: RateLimitBucket[] = [
  // Every page and form of the portal.
  { name: "portal", applies: () => true, perAddress: 600, perSession: 300, durationSeconds: 60 },
  // "Paga un avviso": each lookup says something about a notice number.
  {
    name: "lookup",
    applies: (req) => post(req, /^\/paga-avviso(\/aggiungi)?$/),
    perAddress: 60,
    perSession: 30,
    durationSeconds: 60,
  },
  // A service form creates a position and allocates an IUV each time.
  {
    name: "positions",
    applies: (req) => post(req, /^\/enti\/[^/]+\/servizi\/[^/]+$/),
    perAddress: 30,
    perSession: 15,
    durationSeconds: 600,
  },
  // Each payment creates a cart at pagoPA Checkout.
  {
    name: "checkout",
    applies: (req) => post(req, /^\/carrello\/paga$/),
    perAddress: 30,
    perSession: 15,
    durationSeconds: 600,
  },
  // PDFs are printed by Chromium.
  {
    name: "pdf",
    applies: (req) =>
      req.method === "GET" &&
      /^\/(carrello\/avvisi|esito\/[^/]+\/avvisi|ricevute\/[^/]+\/pdf|le-mie-posizioni\/avvisi)(\/|$)/.test(req.path),
    perAddress: 60,
    perSession: 30,
    durationSeconds: 60,
  },
  // Adhesion (#17): each request e-mails a PEC, each letter is printed by Chromium, each upload is stored.
  {
    name: "adhesion",
    applies: (req) => /^\/adesione(\/|$)/.test(req.path) && (req.method === "POST" || /\/lettera\.pdf$/.test(req.path)),
    perAddress: 30,
    perSession: 20,
    durationSeconds: 600,
  },
];
