import { describe, expect, it, vi } from "vitest";
import type { Database } from "../platform/db/database.ts";
import type * as FieldPattern from "../catalog/field-pattern.ts";
import { FormValidationError } from "../platform/errors.ts";
import type { AmountRules } from "../catalog/index.ts";

// Issue 13 item 6: the citizen's input is validated with no transaction open, so a slow rule
// (or a flood of posts) never holds a connection or locks.
const state = vi.hoisted(() => ({ open: 0, seenWhileOpen: [] as number[] }));
vi.mock("../catalog/field-pattern.ts", async (importOriginal) => {
  const original = await importOriginal<typeof FieldPattern>();
  return {
    ...original,
    matchesFieldPattern: (pattern: string, value: string) => {
      state.seenWhileOpen.push(state.open);
      return original.matchesFieldPattern(pattern, value);
    },
  };
});
const { createSpontaneousPosition } = await import("./create-spontaneous-position.ts");

const paymentType = {
  code: "CERT",
  status: "PUBLISHED",
  active: true,
  availableOnPortal: true,
  availableAtCounter: true,
  validFrom: null,
  validTo: null,
  taxonomyCode: "9/0101101IM/",
  defaultTransfers: [{ accountIban: "IT60X0542811101000000123456", shareBasisPoints: 10_000 }],
  amountRule: { kind: "fixed", amountCents: 1_000 },
  formDefinition: {
    fields: [{ name: "pratica", label: "Pratica", type: "text", required: true, pattern: "^[A-Z]{3}$" }],
    subjectTemplate: "Pratica {{pratica}}",
  },
};

const db = {
  async withTenant<T>(_tenantId: string, fn: (tx: unknown) => Promise<T>): Promise<T> {
    state.open++;
    try {
      return await fn({ paymentType: { findUnique: async () => paymentType } });
    } finally {
      state.open--;
    }
  },
} as unknown as Database;

describe("createSpontaneousPosition", () => {
  it("validates the form after the payment type is read and before any transaction is opened", async () => {
    const tenant = { id: "t", fiscalCode: "00000000000", segregationCode: "47", auxDigit: 3 };
    const request = {
      paymentTypeCode: "CERT",
      channel: "PORTAL" as const,
      values: { pratica: "abcd" },
      debtor: { type: "F" as const, fiscalCode: "RSSMRA80A01H501U", name: "Mario Rossi" },
    };
    await expect(
      createSpontaneousPosition(db, {} as AmountRules, tenant, request, { type: "citizen", id: "x" } as never),
    ).rejects.toBeInstanceOf(FormValidationError);
    expect(state.seenWhileOpen).toEqual([0]);
  });
});
