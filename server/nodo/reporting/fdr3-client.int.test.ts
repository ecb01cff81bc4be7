import http from "node:http";
import type { AddressInfo } from "node:net";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../platform/observability/logger.ts";
import { hasRealWorld, realWorldFile, SPECS_DIR } from "../../test/harness/reconciliation/real-world.ts";
import { createFdr3Client } from "./fdr3-client.ts";

const OPENAPI = path.join(SPECS_DIR, "openapi/fdr_organization.json");
const logger = createLogger({ level: "silent", role: "test" });

interface Operation {
  parameters?: Array<{ name: string; in: string; required?: boolean }>;
}

/** The GET operation of the OpenAPI document whose path template matches `pathname`, with its template. */
function operationFor(spec: { paths: Record<string, { get?: Operation }> }, pathname: string) {
  for (const [template, item] of Object.entries(spec.paths)) {
    const re = new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`);
    if (item.get && re.test(pathname)) return { template, op: item.get };
  }
  return null;
}

describe.skipIf(!existsSync(OPENAPI) || !hasRealWorld)(
  "the FdR 3 client's calls match fdr_organization.json (skipped without PAGOPA_SPECS_DIR and the fixtures)",
  () => {
    const seen: Array<{ url: URL; headers: http.IncomingHttpHeaders }> = [];
    let server: http.Server;
    let base: string;
    let calls = 0;

    beforeAll(async () => {
      // pagoPA's own examples as answers: a header with revision 4, and a payments page that says 3 pages.
      const header = JSON.parse(
        realWorldFile("fdr/pagopa-fdr-nodo-dei-pagamenti/fdr3_internalGetWithRevision_OK.json").toString(),
      );
      const page = JSON.parse(
        realWorldFile("fdr/pagopa-fdr-nodo-dei-pagamenti/fdr3_internalGetFdrPayment_OK.json").toString(),
      );
      server = http.createServer((req, res) => {
        const url = new URL(req.url!, "http://x");
        seen.push({ url, headers: req.headers });
        calls++;
        if (calls === 2) return void res.writeHead(503).end(); // one transient failure, retried
        const reply = (body: unknown) =>
          res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
        if (url.pathname.endsWith("/fdrs"))
          return reply({
            metadata: { pageSize: 1000, pageNumber: 1, totPage: 1 },
            count: 1,
            data: [
              {
                fdr: header.fdr,
                pspId: header.sender.pspId,
                revision: header.revision,
                published: header.published,
                flowDate: header.fdrDate,
              },
            ],
          });
        if (url.pathname.endsWith("/payments")) {
          const n = Number(url.searchParams.get("page"));
          return reply({
            ...page,
            metadata: { ...page.metadata, pageNumber: n },
            data: page.data.map((p: { index: number; iuv: string }) => ({
              ...p,
              index: p.index + (n - 1) * 2,
              iuv: `${p.iuv}-${n}`,
            })),
          });
        }
        return reply(header);
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fdr-org/service/v1`;
    });
    afterAll(() => new Promise((r) => server.close(r)));

    it("lists, reads the header and pages through the payments with the documented paths, parameters and key header", async () => {
      const client = createFdr3Client(
        { baseUrl: base, subscriptionKey: "sub-key", timeoutMs: 2_000, retries: 2 },
        logger,
      );
      const requester = {
        fiscalCode: "12345678900",
        stationCode: "12345678900_01",
        intermediaryFiscalCode: "12345678900",
      };
      const listed = await client.listFlows(requester);
      expect(listed).toEqual([
        {
          flowId: "2016-08-16pspTest-1178",
          pspId: "pspTest",
          revision: 4,
          flowDate: new Date("2023-04-05T09:21:37.810Z"),
        },
      ]);
      const flow = await client.getFlow(requester, listed[0]!);
      expect(flow.rows).toHaveLength(6); // 3 pages of 2
      expect(flow.warnings).toEqual(["declared 100 payments for 10090 cents, rows are 6 for 6 cents"]);

      const spec = JSON.parse(readFileSync(OPENAPI, "utf8"));
      const keyHeader = spec.components.securitySchemes.apiKeyHeader.name.toLowerCase();
      expect(seen.length).toBeGreaterThanOrEqual(5);
      for (const { url, headers } of seen) {
        const pathname = url.pathname.replace("/fdr-org/service/v1", "");
        const match = operationFor(spec, pathname);
        expect(match, pathname).not.toBeNull();
        const declared = new Set((match!.op.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name));
        for (const name of url.searchParams.keys()) expect(declared, `${match!.template} ?${name}`).toContain(name);
        expect(headers[keyHeader]).toBe("sub-key");
      }
      expect(
        new Set(seen.map((s) => operationFor(spec, s.url.pathname.replace("/fdr-org/service/v1", ""))!.template)),
      ).toEqual(
        new Set([
          "/organizations/{organizationId}/fdrs",
          "/organizations/{organizationId}/fdrs/{fdr}/revisions/{revision}/psps/{pspId}",
          "/organizations/{organizationId}/fdrs/{fdr}/revisions/{revision}/psps/{pspId}/payments",
        ]),
      );
    });
  },
);
