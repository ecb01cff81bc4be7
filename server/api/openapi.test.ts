import { Validator } from "@seriousme/openapi-schema-validator";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config/env.ts";
import type { Deps } from "../platform/deps.ts";
import { listRoutes } from "../platform/http/list-routes.ts";
import { createLogger } from "../platform/observability/logger.ts";
import { apiDocument, apiRoutes } from "./api.routes.ts";
import { openApiPath } from "./openapi.ts";

// The router is only built, never served: a Redis client that never connects is enough.
const redis = new Redis({ lazyConnect: true });
const config = loadConfig({});
const deps = { config, redis, logger: createLogger({ level: "silent", role: "api" }) } as unknown as Deps;

describe("the OpenAPI document is the API", () => {
  afterAll(() => redis.disconnect());
  const document = apiDocument(deps) as { openapi: string; paths: Record<string, Record<string, unknown>> };
  const served = listRoutes(apiRoutes(deps, async () => ({ clientId: "x", roles: new Set(), tenants: new Set() })));
  const key = (method: string, path: string) => `${method.toUpperCase()} ${path}`;

  it("describes every Express route, and no route Express does not serve", () => {
    const fromRouter = served.map((r) => key(r.method, openApiPath(r.path))).sort();
    const fromDocument = Object.entries(document.paths)
      .flatMap(([path, methods]) => Object.keys(methods).map((m) => key(m, path)))
      .sort();
    expect(fromRouter.length).toBeGreaterThanOrEqual(15);
    expect(fromDocument).toEqual(fromRouter);
  });

  it("validates as OpenAPI 3.1 with a standard validator", async () => {
    expect(document.openapi).toBe("3.1.0");
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    // The validator is not vacuous: a document with a broken path item is refused.
    const broken = { ...document, paths: { ...document.paths, "/x": { get: { responses: "none" } } } };
    expect((await new Validator().validate(broken)).valid).toBe(false);
  });

  it("documents bodies from the routes' own zod schemas, in Italian and English, with examples", () => {
    const create = document.paths["/tenants/{ipa}/positions"]!.post as {
      requestBody: {
        content: { "application/json": { schema: { properties: Record<string, unknown> }; example: unknown } };
      };
      description: string;
      parameters: Array<{ name: string; in: string }>;
    };
    const body = create.requestBody.content["application/json"];
    expect(Object.keys(body.schema.properties)).toEqual(
      expect.arrayContaining(["externalId", "debtor", "single", "installments", "documentId", "paymentTypeCode"]),
    );
    expect(body.example).toBeTruthy();
    expect(create.description).toMatch(/\*EN:\*/);
    expect(create.parameters.map((p) => p.name)).toContain("Idempotency-Key");
  });
});
