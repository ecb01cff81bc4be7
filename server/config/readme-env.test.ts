import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { envSchema, loadConfig } from "./env.ts";

// The README's environment table is the operators' reference: it must list every variable the
// server reads, with the default the code applies.
describe("README environment table", () => {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const defaults = loadConfig({});

  for (const name of Object.keys(envSchema.shape)) {
    it(`documents ${name} with its default`, () => {
      const row = readme.split("\n").find((line) => line.startsWith(`| \`${name}\` |`));
      expect(row, `README has no row for ${name}`).toBeDefined();
      const value = (defaults as Record<string, unknown>)[name];
      const cell = row!.split("|")[2]!.trim();
      if (value === undefined) expect(cell).toBe("(none)");
      else expect(cell).toBe(`\`${String(value)}\``);
    });
  }
});
