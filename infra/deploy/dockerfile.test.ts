// The Dockerfile, checked without a Docker engine: dockerfile-utils' linter (the validator of
// the Docker language server) finds nothing, and the image keeps the properties issue 18 asks
// for. infra/deploy/check-image.sh runs the same steps as the stages and starts every role.
import { readFileSync } from "node:fs";
import path from "node:path";
import { DockerfileParser } from "dockerfile-ast";
import { validate } from "dockerfile-utils";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const dockerfile = readFileSync(path.join(root, "Dockerfile"), "utf8");

/** The instructions of each stage, by stage name. */
function stages(content: string): Map<string, Array<{ keyword: string; args: string }>> {
  const result = new Map<string, Array<{ keyword: string; args: string }>>();
  let current: Array<{ keyword: string; args: string }> = [];
  for (const instruction of DockerfileParser.parse(content).getInstructions()) {
    const keyword = instruction.getKeyword();
    // Flags (--from=build) are not part of the arguments' content: put them back in front.
    const flags =
      "getFlags" in instruction
        ? (instruction as unknown as { getFlags(): Array<{ getName(): string; getValue(): string | null }> }).getFlags()
        : [];
    const args = [
      ...flags.map((f) => `--${f.getName()}=${f.getValue() ?? ""}`),
      instruction.getArgumentsContent() ?? "",
    ].join(" ");
    if (keyword === "FROM") {
      current = [];
      result.set(args.split(/\s+AS\s+/i)[1] ?? args, current);
    }
    current.push({ keyword, args });
  }
  return result;
}

describe("Dockerfile", () => {
  it("passes the linter", () => {
    expect(validate(dockerfile).map((d) => `${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
  });

  it("the linter finds a broken Dockerfile", () => {
    expect(
      validate("FROM node:20-bookworm-slim\nEXPOSE port\nHEALTHCHECK --interval=x CMD true\n").length,
    ).toBeGreaterThan(0);
  });

  it("builds in one stage and runs slim, non-root, with production dependencies and Chromium", () => {
    const all = stages(dockerfile);
    expect([...all.keys()]).toEqual(["build", "migrate", "runtime"]);
    const runtime = all.get("runtime") ?? [];
    const runs = runtime
      .filter((i) => i.keyword === "RUN")
      .map((i) => i.args)
      .join("\n");
    expect(runs).toMatch(/npm ci --omit=dev/);
    expect(runs).toMatch(/apt-get install[^\n]*\bchromium\b/);
    expect(runtime.find((i) => i.keyword === "USER")?.args).toBe("node");
    expect(runtime.some((i) => i.keyword === "HEALTHCHECK")).toBe(true);
    expect(runtime.find((i) => i.keyword === "COPY" && i.args.includes("--from=build"))?.args).toMatch(/\/app\/dist/);
    expect(runtime.some((i) => i.keyword === "COPY" && /\b(server|infra|e2e)\b/.test(i.args))).toBe(false);
    expect(all.get("migrate")?.find((i) => i.keyword === "CMD")?.args).toMatch(/prisma.*migrate.*deploy/);
  });
});
