import type { PlatformPack } from "../../server/tenancy/index.ts";

type PaymentType = NonNullable<PlatformPack["serviceTemplates"]>[number];
type Field = NonNullable<PaymentType["formDefinition"]>["fields"][number];

/**
 * A required select whose choice sets the amount: the form field and the `choice` amount rule
 * that prices it, built from one list so the options shown and the amounts charged name the same
 * values with the same labels.
 */
export function pricedChoice(
  name: string,
  label: string,
  choices: Array<{ value: string; label: string; amountCents: number }>,
): { field: Field; amountRule: NonNullable<PaymentType["amountRule"]> } {
  return {
    field: {
      name,
      label,
      type: "select",
      required: true,
      options: choices.map((c) => ({ value: c.value, label: c.label })),
    },
    amountRule: { kind: "choice", field: name, choices },
  };
}
