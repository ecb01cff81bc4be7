import { describe, expect, it } from "vitest";
import { buildFormSchema, renderSubject } from "./build-form-schema.ts";
import { computeSpontaneousAmount, splitByShares } from "./compute-spontaneous-amount.ts";
import { AmountRules } from "./amount-rules.ts";

const noPlugins = new AmountRules();
import type { FormDefinition } from "./payment-type.schema.ts";

const form: FormDefinition = {
  fields: [
    { name: "pratica", label: "Pratica", type: "text", required: true, pattern: "^[A-Z0-9/-]{3,20}$" },
    {
      name: "documento",
      label: "Documento",
      type: "select",
      required: true,
      options: [{ value: "CERT", label: "Certificato" }],
    },
    { name: "alunno", label: "Alunno", type: "fiscalCode", required: false },
    { name: "importo", label: "Importo", type: "number", required: false, min: 5, max: 300 },
    { name: "mese", label: "Mese", type: "date", required: false },
    { name: "targa", label: "Targa", type: "plate", required: false },
    { name: "email", label: "E-mail", type: "email", required: false },
  ],
  subjectTemplate: "Pratica {{pratica}} - {{documento}} {{assente}}",
};

describe("form validation from the council's definition", () => {
  const schema = buildFormSchema(form);

  it("accepts valid values and normalises codes", () => {
    const ok = schema.parse({
      pratica: "AB/123",
      documento: "CERT",
      alunno: "rssmra80a01h501u",
      importo: "12,50",
      mese: "2026-10-01",
      targa: "ab 123 cd",
      email: "a@b.it",
    });
    expect(ok).toMatchObject({ alunno: "RSSMRA80A01H501U", targa: "AB123CD", importo: "12,50" });
  });

  it("treats empty optional fields as absent", () => {
    expect(schema.parse({ pratica: "AB/123", documento: "CERT", alunno: "", importo: " " })).toEqual({
      pratica: "AB/123",
      documento: "CERT",
    });
  });

  it.each([
    [{ documento: "CERT" }, "pratica", "campo obbligatorio"],
    [{ pratica: "ab", documento: "CERT" }, "pratica", "formato"],
    [{ pratica: "AB/1", documento: "ALTRO" }, "documento", "voci proposte"],
    [{ pratica: "AB/1", documento: "CERT", alunno: "RSSMRA80A01H501X" }, "alunno", "codice fiscale"],
    [{ pratica: "AB/1", documento: "CERT", importo: "4,99" }, "importo", "minimo"],
    [{ pratica: "AB/1", documento: "CERT", importo: "dieci" }, "importo", "numero"],
    [{ pratica: "AB/1", documento: "CERT", mese: "2026-13-45" }, "mese", "data"],
    [{ pratica: "AB/1", documento: "CERT", email: "x@" }, "email", "e-mail"],
  ])("refuses %j at %s", (values, field, message) => {
    const result = schema.safeParse(values);
    expect(result.success).toBe(false);
    const issue = result.error!.issues.find((i) => i.path[0] === field);
    expect(issue?.message).toContain(message);
  });

  it("refuses fields the definition does not have", () => {
    expect(schema.safeParse({ pratica: "AB/1", documento: "CERT", amountCents: "1" }).success).toBe(false);
  });

  it("builds the subject from the template", () => {
    expect(renderSubject(form.subjectTemplate, { pratica: "AB/1", documento: "CERT" })).toBe("Pratica AB/1 - CERT");
  });
});

describe("amount rules", () => {
  it("applies fixed, choice and range rules", () => {
    expect(computeSpontaneousAmount(noPlugins, { kind: "fixed", amountCents: 1600 }, {})).toBe(1600);
    const choice = { kind: "choice" as const, field: "doc", choices: [{ value: "A", label: "A", amountCents: 52 }] };
    expect(computeSpontaneousAmount(noPlugins, choice, { doc: "A" })).toBe(52);
    expect(() => computeSpontaneousAmount(noPlugins, choice, { doc: "B" })).toThrow(/voci/);
    const range = { kind: "range" as const, field: "imp", minCents: 500, maxCents: 30_000 };
    expect(computeSpontaneousAmount(noPlugins, range, { imp: "12,34" })).toBe(1234);
    expect(() => computeSpontaneousAmount(noPlugins, range, { imp: "300,01" })).toThrow(/limiti/);
  });

  it("splits by shares so that parts add up exactly", () => {
    expect(splitByShares(31_501, [9_500, 500])).toEqual([29_926, 1_575]);
    expect(splitByShares(100, [3_333, 3_333, 3_334]).reduce((a, b) => a + b)).toBe(100);
    expect(() => splitByShares(100, [5_000])).toThrow();
  });
});
