import http from "node:http";
import type { AddressInfo } from "node:net";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SPECS_DIR } from "../../test/harness/reconciliation/real-world.ts";
import { createAcaClient } from "./aca-client.ts";
import { acaPositionOf, type PositionForAca } from "./aca-notice.ts";

const OPENAPI = path.join(SPECS_DIR, "openapi/gpd-4-aca.json");

type JsonSchema = {
  $ref?: string;
  type?: string;
  required?: string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  enum?: unknown[];
  pattern?: string;
  maxLength?: number;
  minimum?: number;
  maxItems?: number;
  readOnly?: boolean;
};

/**
 * What a body breaks of the document's schema (the keywords gpd-4-aca.json uses for requests):
 * unknown or read-only properties, missing required ones, types, enums, patterns, lengths.
 */
function violations(schemas: Record<string, JsonSchema>, schema: JsonSchema, value: unknown, at = "$"): string[] {
  if (schema.$ref) return violations(schemas, schemas[schema.$ref.split("/").pop()!]!, value, at);
  const out: string[] = [];
  if (schema.enum && !schema.enum.includes(value)) out.push(`${at}: ${String(value)} not in enum`);
  switch (schema.type) {
    case "object": {
      if (typeof value !== "object" || value === null || Array.isArray(value)) return [`${at}: not an object`];
      const obj = value as Record<string, unknown>;
      for (const r of schema.required ?? []) if (!(r in obj)) out.push(`${at}.${r}: required`);
      for (const [k, v] of Object.entries(obj)) {
        const prop = schema.properties?.[k];
        if (!prop) out.push(`${at}.${k}: not in the document`);
        else if (prop.readOnly) out.push(`${at}.${k}: read-only`);
        else out.push(...violations(schemas, prop, v, `${at}.${k}`));
      }
      break;
    }
    case "array":
      if (!Array.isArray(value)) return [`${at}: not an array`];
      if (schema.maxItems !== undefined && value.length > schema.maxItems) out.push(`${at}: too many items`);
      value.forEach((v, i) => out.push(...violations(schemas, schema.items!, v, `${at}[${i}]`)));
      break;
    case "string":
      if (typeof value !== "string") return [`${at}: not a string`];
      if (schema.maxLength !== undefined && value.length > schema.maxLength) out.push(`${at}: too long`);
      if (schema.pattern && !new RegExp(schema.pattern).test(value)) out.push(`${at}: pattern ${schema.pattern}`);
      break;
    case "integer":
      if (!Number.isInteger(value)) return [`${at}: not an integer`];
      if (schema.minimum !== undefined && (value as number) < schema.minimum) out.push(`${at}: below minimum`);
      break;
    case "boolean":
      if (typeof value !== "boolean") out.push(`${at}: not a boolean`);
      break;
  }
  return out;
}

interface Operation {
  parameters?: Array<{ name: string; in: string; required?: boolean }>;
  security?: Array<Record<string, unknown>>;
}
type Spec = {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, { name: string; in: string }> };
};

const position = (): PositionForAca =>
  ({
    id: "p1",
    tenantId: "t1",
    iupd: "PONTEPA-ACA-0001",
    debtorType: "F",
    debtorFiscalCode: "RSSMRA80A01H501U",
    debtorName: "Mario Rossi",
    subject: "Mensa scolastica",
    status: "VALID",
    options: [
      {
        nav: "301000000000012345",
        iuv: "01000000000012345",
        amountCents: 2500,
        kind: "SINGLE",
        description: null,
        dueDate: new Date("2027-05-01T00:00:00Z"),
        expiresAt: null,
        status: "UNPAID",
        transfers: [
          {
            index: 1,
            amountCents: 2000,
            beneficiaryFiscalCode: "00000000001",
            iban: "IT60X0542811101000000123456",
            isPostalIban: false,
            stampType: null,
            taxonomyCode: "9/0101002IM/",
            remittanceText: "Mensa",
            metadata: [{ key: "capitolo", value: "123" }],
          },
          {
            index: 2,
            amountCents: 500,
            beneficiaryFiscalCode: "00000000002",
            iban: null,
            isPostalIban: false,
            stampType: "01",
            stampDocumentHash: "a".repeat(44),
            stampProvince: "RM",
            taxonomyCode: "9/0301109AP/",
            remittanceText: "Bollo",
            metadata: [],
          },
        ],
      },
      // A paid installment must not reach the archive.
      { nav: "301000000000012346", status: "PAID", transfers: [] },
    ],
  }) as unknown as PositionForAca;

describe.skipIf(!existsSync(OPENAPI))(
  "the ACA client's calls match gpd-4-aca.json (skipped without PAGOPA_SPECS_DIR)",
  () => {
    const seen: Array<{ method: string; url: URL; headers: http.IncomingHttpHeaders; body: string }> = [];
    let server: http.Server;
    let base: string;
    const spec = existsSync(OPENAPI) ? (JSON.parse(readFileSync(OPENAPI, "utf8")) as Spec) : null;

    beforeAll(async () => {
      server = http.createServer((req, res) => {
        let body = "";
        req.on("data", (c) => (body += c));
        req.on("end", () => {
          seen.push({ method: req.method!, url: new URL(req.url!, "http://x"), headers: req.headers, body });
          const iupd = body ? (JSON.parse(body) as { iupd: string }).iupd : "PONTEPA-ACA-0001";
          res
            .writeHead(req.method === "POST" && !req.url!.includes("/invalidate") ? 201 : 200, {
              "content-type": "application/json",
            })
            .end(JSON.stringify({ iupd, status: "VALID" }));
        });
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/aca/debt-positions-service/v1`;
    });
    afterAll(() => new Promise((r) => server.close(r)));

    it("creates, updates and invalidates with the documented paths, methods, query, key header and body model", async () => {
      const client = createAcaClient({ baseUrl: base, subscriptionKey: "sub-key", timeoutMs: 2_000 });
      const body = acaPositionOf(position(), { name: "Comune di Prova" }, new Date("2027-01-01T00:00:00Z"))!;
      expect(body.paymentOption.map((o) => o.nav)).toEqual(["301000000000012345"]);
      expect(await client.create("00000000001", body)).toBe("ok");
      expect(await client.update("00000000001", body)).toBe("ok");
      expect(await client.invalidate("00000000001", body.iupd)).toBe("ok");

      const model = { $ref: "#/components/schemas/PaymentPositionModel" };
      const key = spec!.components.securitySchemes.ApiKey!;
      expect(key.in).toBe("header");

      const expected = ["post createPosition", "put updatePosition", "post invalidatePosition"];
      expect(seen).toHaveLength(3);
      seen.forEach((call, i) => {
        const pathname = call.url.pathname.replace(/^\/aca\/debt-positions-service\/v1/, "");
        const match = Object.entries(spec!.paths).find(
          ([template, item]) =>
            new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`).test(pathname) &&
            item[call.method.toLowerCase()],
        );
        expect(match, `${call.method} ${pathname} is in the document`).toBeDefined();
        const op = match![1][call.method.toLowerCase()] as Operation & { operationId: string };
        expect(`${call.method.toLowerCase()} ${op.operationId}`).toBe(expected[i]);
        const queryNames = (op.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name);
        for (const name of call.url.searchParams.keys()) expect(queryNames).toContain(name);
        expect(call.headers[key.name.toLowerCase()]).toBe("sub-key");
        if (call.body) {
          expect(violations(spec!.components.schemas, model, JSON.parse(call.body))).toEqual([]);
        }
      });
      expect(seen[0]!.url.searchParams.get("toPublish")).toBe("true");
    });
  },
);
