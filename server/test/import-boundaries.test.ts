// The import boundaries of eslint.boundaries.js fire: each planted violation below, linted as if
// it were a file at the given path, is reported by its rule, and the same import from a file
// allowed to make it is not. The real tree is checked by `npm run lint`.
import path from "node:path";
import { ESLint } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

/** Rule ids reported for `code` as if it were the file at `file` (relative to the repository). */
async function findings(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

// `allowedIn` sits at the same depth as `file`, so the planted relative import resolves there too.
const cases: Array<{ rule: string; file: string; code: string; allowedIn: string }> = [
  {
    rule: "no-restricted-syntax",
    file: "web/citizen/planted.pages.ts",
    code: 'import { PrismaClient } from "../../server/generated/prisma/client.ts";\nexport const c = PrismaClient;\n',
    allowedIn: "server/positions/planted.ts",
  },
  {
    rule: "no-restricted-syntax",
    file: "web/backoffice/planted.pages.ts",
    code: "export const rows = (deps: { db: { client: { tenant: { findMany(): unknown } } } }) => deps.db.client.tenant.findMany();\n",
    allowedIn: "server/tenancy/planted.ts",
  },
  {
    rule: "boundaries/server-not-web",
    file: "server/positions/planted.ts",
    code: 'import { useViewEngine } from "../../web/shared/view-engine.ts";\nexport const v = useViewEngine;\n',
    allowedIn: "web/citizen/planted.pages.ts",
  },
  {
    rule: "boundaries/server-not-tenants",
    file: "server/catalog/planted.ts",
    code: 'import * as demo from "../../tenants/demo/pack.ts";\nexport const p = demo;\n',
    allowedIn: "server/test/planted.ts",
  },
  {
    rule: "boundaries/no-dev-code",
    file: "server/notices/planted.ts",
    code: 'import { pdfText } from "../test/harness/notices/pdf-inspect.ts";\nexport const t = pdfText;\n',
    allowedIn: "server/notices/planted.int.test.ts",
  },
  {
    rule: "boundaries/no-dev-code",
    file: "web/citizen/planted.pages.ts",
    code: 'import { createDevIdp } from "../../infra/dev-idp/app.ts";\nexport const i = createDevIdp;\n',
    allowedIn: "server/test/planted.ts",
  },
  {
    rule: "boundaries/domain-not-adapters",
    file: "server/positions/planted.ts",
    code: 'import { createSoapApp } from "../nodo/soap-app.ts";\nexport const s = createSoapApp;\n',
    allowedIn: "server/roles/planted.ts",
  },
  {
    rule: "no-restricted-imports",
    file: "server/receipts/planted.ts",
    code: 'import express from "express";\nexport const e = express;\n',
    allowedIn: "server/platform/http/planted.ts",
  },
  {
    rule: "boundaries/tenants-not-web-or-nodo",
    file: "tenants/plugins/planted.ts",
    code: 'import { createSoapApp } from "../../server/nodo/soap-app.ts";\nexport const s = createSoapApp;\n',
    allowedIn: "server/roles/planted.ts",
  },
];

describe("import boundaries", () => {
  it.each(cases)(
    "$rule reports $file and not $allowedIn",
    { timeout: 60_000 },
    async ({ rule, file, code, allowedIn }) => {
      expect(await findings(file, code)).toContain(rule);
      expect(await findings(allowedIn, code)).not.toContain(rule);
    },
  );

  it("lets web/ import Prisma types", { timeout: 60_000 }, async () => {
    const code = 'import type { Tenant } from "../../server/generated/prisma/client.ts";\nexport type T = Tenant;\n';
    expect(await findings("web/citizen/planted.pages.ts", code)).toEqual([]);
  });
});
