import helmet from "helmet";
import type { RequestHandler } from "express";

/**
 * Security headers for the HTML apps. The CSP allows only our own scripts, styles, fonts and
 * images (Bootstrap Italia is served from /assets), so injected markup cannot load anything.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:"],
        fontSrc: ["'self'"],
        formAction: ["'self'", "http:", "https:"], // the pay button posts then redirects to Checkout
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    crossOriginEmbedderPolicy: false,
  });
}
