import { describe, expect, test } from "vitest";
import { editorToInput, storedToEditor } from "./payment-type-form.ts";

describe("payment-type editor form", () => {
  const form = {
    code: "cds_extra",
    name: " Sanzioni ",
    taxonomyCode: "9/0102106SA/",
    availableAtCounter: "on",
    availableAtPsp: "on",
    conto0_iban: "IT60 X054 2811 1010 0000 0123 456",
    conto0_quota: "95,5",
    conto1_iban: "IT62L0200860110000000778899",
    conto1_ente: "00987654324",
    conto1_quota: "4,5",
    conto2_iban: "",
    conto2_quota: "",
    campo1_ordine: "1",
    campo1_nome: "verbale",
    campo1_etichetta: "Numero del verbale",
    campo1_tipo: "text",
    campo1_obbligatorio: "on",
    campo1_formato: "^\\d+/\\d{4}$",
    campo0_ordine: "2",
    campo0_nome: "targa",
    campo0_etichetta: "Targa",
    campo0_tipo: "plate",
    campo5_ordine: "",
    campo5_nome: "",
    campo5_etichetta: "",
    causale: "Verbale {{verbale}}",
    regola: "range",
    regola_campo: "importo",
    regola_minimo: "1",
    regola_massimo: "1.000,00",
    validFrom: "2027-01-01",
  };

  test("rows become ordered fields, shares become basis points, euro become cents, empty rows are dropped", () => {
    const input = editorToInput(form);
    expect(input.code).toBe("CDS_EXTRA");
    expect(input.defaultTransfers).toEqual([
      { accountIban: "IT60 X054 2811 1010 0000 0123 456", beneficiaryFiscalCode: undefined, shareBasisPoints: 9_550 },
      { accountIban: "IT62L0200860110000000778899", beneficiaryFiscalCode: "00987654324", shareBasisPoints: 450 },
    ]);
    expect(input.formDefinition?.fields.map((f) => [f.name, f.type, f.required])).toEqual([
      ["verbale", "text", true],
      ["targa", "plate", false],
    ]);
    expect(input.formDefinition?.fields[0]?.pattern).toBe("^\\d+/\\d{4}$");
    expect(input.amountRule).toEqual({ kind: "range", field: "importo", minCents: 100, maxCents: 100_000 });
    expect(input).toMatchObject({
      availableOnPortal: false,
      availableAtCounter: true,
      availableAtPsp: true,
      validFrom: "2027-01-01",
      validTo: undefined,
    });
  });

  test("an amount that is not a number reaches the use case as NaN (so it is reported, not zero)", () => {
    const input = editorToInput({ ...form, regola: "fixed", regola_importo: "dieci" });
    expect(input.amountRule).toEqual({ kind: "fixed", amountCents: Number.NaN });
  });

  test("chapter and default assessment go to the use case and come back from a stored type", () => {
    const input = editorToInput({ ...form, accountingChapter: " 1010 ", defaultAssessment: "2027/7" });
    expect(input).toMatchObject({ accountingChapter: "1010", defaultAssessment: "2027/7" });
    const back = storedToEditor({
      ...input,
      description: null,
      accountingChapter: "1010",
      defaultAssessment: "2027/7",
      availableOnPortal: false,
      availableAtCounter: true,
      availableAtPsp: false,
      formDefinition: null,
      amountRule: null,
      validFrom: null,
      validTo: null,
    });
    expect(back).toMatchObject({ accountingChapter: "1010", defaultAssessment: "2027/7" });
  });

  test("a stored type comes back as the same editor input", () => {
    const input = editorToInput({
      ...form,
      regola: "choice",
      regola_campo: "tipo",
      regola_voci: "a|Auto|41,00\nm|Moto|27,50",
    });
    const stored = {
      code: input.code,
      name: "Sanzioni",
      description: null,
      taxonomyCode: input.taxonomyCode,
      accountingChapter: null,
      defaultTransfers: input.defaultTransfers,
      availableOnPortal: false,
      availableAtCounter: true,
      availableAtPsp: true,
      formDefinition: input.formDefinition,
      amountRule: input.amountRule,
      validFrom: new Date("2027-01-01T00:00:00Z"),
      validTo: null,
    };
    expect(editorToInput(storedToEditor(stored))).toEqual({ ...input, name: "Sanzioni" });
  });

  test("choice values are typed once, in the rule (value = label = amount): the deciding field lists them", () => {
    const input = editorToInput({
      ...form,
      campo0_tipo: "text",
      regola: "choice",
      regola_campo: "targa",
      regola_voci: "a = Auto = 41,00\nm | Moto | 27,50",
    });
    expect(input.amountRule).toEqual({
      kind: "choice",
      field: "targa",
      choices: [
        { value: "a", label: "Auto", amountCents: 4100 },
        { value: "m", label: "Moto", amountCents: 2750 },
      ],
    });
    expect(input.formDefinition?.fields.find((f) => f.name === "targa")).toMatchObject({
      type: "select",
      options: [
        { value: "a", label: "Auto" },
        { value: "m", label: "Moto" },
      ],
    });
    // Editing again shows the values once: in the rule, not again in the field's list.
    const again = storedToEditor({
      code: "X",
      name: "X",
      description: null,
      taxonomyCode: input.taxonomyCode,
      accountingChapter: null,
      defaultTransfers: [],
      availableOnPortal: false,
      availableAtCounter: true,
      availableAtPsp: false,
      formDefinition: input.formDefinition,
      amountRule: input.amountRule,
      validFrom: null,
      validTo: null,
    });
    expect(Object.entries(again).filter(([k, v]) => k.endsWith("_valori") && v)).toEqual([]);
    expect(again.regola_voci).toBe("a = Auto = 41,00\nm = Moto = 27,50");
  });
});
