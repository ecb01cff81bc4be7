import path from "node:path";
import { createRequire } from "node:module";
import express, { Router } from "express";

const require = createRequire(import.meta.url);
const swaggerDist = path.dirname(require.resolve("swagger-ui-dist/package.json"));

const PAGE = `<!doctype html>
<html lang="it">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>PontePA API – documentazione</title>
<link rel="stylesheet" href="docs/assets/swagger-ui.css">
</head>
<body>
<noscript>La documentazione interattiva richiede JavaScript: il documento OpenAPI è in <a href="openapi.json">openapi.json</a>.</noscript>
<div id="swagger-ui"></div>
<script src="docs/assets/swagger-ui-bundle.js"></script>
<script src="docs/init.js"></script>
</body>
</html>
`;

// Our own start-up script, served as a file: the CSP allows no inline script.
const INIT = `window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({ url: "openapi.json", dom_id: "#swagger-ui", deepLinking: true, tryItOutEnabled: false });
});
`;

/**
 * The OpenAPI document at `/api/v1/openapi.json` and browsable documentation at `/api/v1/docs`
 * (Swagger UI from the swagger-ui-dist package, served from our own origin: no CDN, and the
 * strict CSP of the app applies). Public, like any API's documentation: it holds no data.
 */
export function apiDocsRoutes(document: () => object): Router {
  const router = Router();
  let cached: string | undefined;
  router.get("/openapi.json", (_req, res) => {
    cached ??= JSON.stringify(document());
    res.type("application/json").set("Cache-Control", "public, max-age=300").send(cached);
  });
  router.get("/docs", (req, res) => {
    // Relative asset URLs need the trailing-slash-free form /api/v1/docs.
    if (req.path.endsWith("/")) return res.redirect(301, req.baseUrl + "/docs");
    res.type("html").send(PAGE);
  });
  router.get("/docs/init.js", (_req, res) => {
    res.type("application/javascript").send(INIT);
  });
  router.use("/docs/assets", express.static(swaggerDist, { index: false, fallthrough: false, maxAge: "7d" }));
  return router;
}
