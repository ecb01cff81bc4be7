import path from "node:path";
import { createRequire } from "node:module";
import express, { Router } from "express";

const require = createRequire(import.meta.url);
const biDist = path.join(path.dirname(require.resolve("bootstrap-italia/package.json")), "dist");

/** Static assets: Bootstrap Italia's build (CSS, JS, fonts, icons) and our own small files. */
export function assetRoutes(): Router {
  const router = Router();
  const cache = { maxAge: "7d", immutable: false, index: false, fallthrough: false };
  router.use("/assets/bi", express.static(biDist, cache));
  router.use("/assets/app", express.static(path.join(import.meta.dirname, "assets"), cache));
  return router;
}
