import { describe, expect, it } from "vitest";
import { buildFormSchema } from "./build-form-schema.ts";
import { fieldPatternProblem, matchesFieldPattern } from "./field-pattern.ts";
import { formDefinitionSchema, type FormDefinition } from "./payment-type.schema.ts";

// Issue 13 item 6: admin-supplied patterns on anonymous input.
const EVIL = "^([a-zA-Z]+ ?)+$";

describe("field patterns", () => {
  it("run in linear time: the classic catastrophic pattern answers at once on long input", () => {
    // With RegExp this takes about a second at 26 characters and hours at 40 (issue 13);
    // the assertion is on the answer, the speed is what lets the test finish at all.
    expect(matchesFieldPattern(EVIL, `${"a".repeat(60)}!`)).toBe(false);
    expect(matchesFieldPattern(EVIL, `${"ab ".repeat(3_000)}!`)).toBe(false);
    expect(matchesFieldPattern(EVIL, "Mario Rossi")).toBe(true);
    expect(matchesFieldPattern("^[A-Z0-9/-]{3,20}$", "AB/123")).toBe(true);
    expect(matchesFieldPattern("[0-9]", "abc1")).toBe(true); // unanchored, like RegExp.test
  });

  it("refuses, in Italian, patterns that do not compile or that RE2 cannot run", () => {
    expect(fieldPatternProblem("^[A-Z]{2}\\d+$")).toBeNull();
    expect(fieldPatternProblem("([a-z]")).toMatch(/espressione regolare non valida/);
    expect(fieldPatternProblem("(a)\\1")).toMatch(/riferimenti all'indietro/);
    expect(fieldPatternProblem("^(?=a)a$")).toMatch(/non supportata/);
  });

  it("are checked when a form definition is saved", () => {
    const definition = (pattern: string) => ({
      fields: [{ name: "nome", label: "Nome", type: "text", pattern }],
      subjectTemplate: "x",
    });
    expect(formDefinitionSchema.safeParse(definition(EVIL)).success).toBe(true);
    const refused = formDefinitionSchema.safeParse(definition("(a)\\1"));
    expect(refused.success).toBe(false);
    expect(refused.error!.issues[0]!.path).toEqual(["fields", 0, "pattern"]);
    expect(refused.error!.issues[0]!.message).toMatch(/espressione regolare/);
  });

  it("never run on a value an earlier check already refused", () => {
    const form: FormDefinition = {
      fields: [
        { name: "nome", label: "Nome", type: "text", required: true, pattern: EVIL },
        { name: "importo", label: "Importo", type: "number", required: true, min: 5, pattern: "^9" },
      ],
      subjectTemplate: "x",
    };
    const result = buildFormSchema(form).safeParse({ nome: "a".repeat(10_000), importo: "4" });
    expect(result.success).toBe(false);
    // One message per field: the first failed check, not the pattern's as well.
    expect(result.error!.issues.map((i) => [i.path[0], i.message])).toEqual([
      ["nome", "al massimo 500 caratteri"],
      ["importo", "il valore minimo è 5"],
    ]);
  });
});
