import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// The back-office is a web layer: pages parse the form, call one use case of the module that
// owns the data and render. This test keeps database access out of it.
const DIR = import.meta.dirname;
const FORBIDDEN: Array<[RegExp, string]> = [
  [/\bdb\.client\b|\.client\.\w+\.(find|count|create|update|delete|upsert|groupBy|aggregate)/, "Prisma client"],
  [/\bwithTenant\s*\(|\bwithPlatformScope\s*\(/, "a database transaction"],
  [/\$queryRaw|\$executeRaw/, "raw SQL"],
  [/\btx\.\w+\.(find|count|create|update|delete|upsert|groupBy|aggregate)/, "a Prisma delegate"],
  [/from\s+["'][^"']*(@prisma\/client|generated\/prisma)[^"']*["']/, "the Prisma client module"],
  [/req\.body\s+as\b/, "an unparsed form body (parse it with a zod schema)"],
];

function productionFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === "testing" || e.name === "views" ? [] : productionFiles(path);
    return /\.ts$/.test(e.name) && !/\.test\.ts$/.test(e.name) ? [path] : [];
  });
}

describe("web/backoffice has no database access", () => {
  const files = productionFiles(DIR);
  it("scans the page files", () => {
    expect(files.some((f) => f.endsWith("positions.pages.ts"))).toBe(true);
  });
  it.each(files.map((f) => [f.slice(DIR.length + 1), f]))("%s calls use cases only", (_name, file) => {
    const code = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
    const found = FORBIDDEN.filter(([re]) => re.test(code)).map(([, what]) => what);
    expect(found).toEqual([]);
  });
});
