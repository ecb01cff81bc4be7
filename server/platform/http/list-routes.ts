import type { Router } from "express";

export interface RouteInfo {
  method: string;
  path: string;
  /** Path parameters, e.g. ["ipa", "positionId"]. */
  params: string[];
}

interface LayerLike {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: LayerLike[] };
  rawPath?: string;
}

/**
 * Every route of an Express router, with mounted sub-routers expanded, so tests can enumerate
 * them: an isolation matrix built from this list fails when a new route arrives without a case.
 */
export function listRoutes(router: Router, prefix = ""): RouteInfo[] {
  const out: RouteInfo[] = [];
  for (const layer of (router as unknown as { stack: LayerLike[] }).stack) {
    if (layer.route) {
      const path = `${prefix}${layer.route.path}`;
      for (const method of Object.keys(layer.route.methods)) {
        out.push({ method: method.toUpperCase(), path, params: [...path.matchAll(/:(\w+)/g)].map((m) => m[1]!) });
      }
    } else if (layer.handle?.stack) {
      out.push(
        ...listRoutes(
          layer.handle as unknown as Router,
          `${prefix}${layer.rawPath && layer.rawPath !== "/" ? layer.rawPath : ""}`,
        ),
      );
    }
  }
  return out;
}
