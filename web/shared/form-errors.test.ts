import { describe, expect, it } from "vitest";
import { showErrors } from "./form-errors.ts";

const labels = {
  subject: "Causale",
  "debtor.fiscalCode": { label: "Codice fiscale", id: "fiscalCode" },
  "installments.*.amountCents": { label: "Importo rata {n}", id: "rata{n}_importo" },
  amountRule: { label: "Regola per l'importo", id: "regola" },
};

describe("showErrors", () => {
  it("names each field by its label, keys the message by the control's id and lists them all", () => {
    const shown = showErrors(
      {
        subject: "al massimo 140 caratteri",
        "debtor.fiscalCode": "codice fiscale non valido",
        "installments.1.amountCents": "indica un numero valido",
      },
      labels,
    );
    expect(shown.errors).toEqual({
      subject: "Causale: al massimo 140 caratteri",
      fiscalCode: "Codice fiscale non valido",
      rata2_importo: "Importo rata 2: indica un numero valido",
    });
    expect(shown.errorList).toEqual([
      { id: "subject", text: "Causale: al massimo 140 caratteri" },
      { id: "fiscalCode", text: "Codice fiscale non valido" },
      { id: "rata2_importo", text: "Importo rata 2: indica un numero valido" },
    ]);
  });
  it("falls back to the closest labelled parent, and to a form-level message", () => {
    const shown = showErrors({ "amountRule.choices.0.label": "campo obbligatorio", form: "ente non trovato" }, labels);
    expect(shown.errorList).toEqual([
      { id: "regola", text: "Regola per l'importo: campo obbligatorio" },
      { text: "Ente non trovato" },
    ]);
  });
});
