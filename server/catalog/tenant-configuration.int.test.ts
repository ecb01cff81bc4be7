import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Database } from "../platform/db/database.ts";
import { makeTenant } from "../test/factories.ts";
import type { Tenant } from "../generated/prisma/client.ts";
import { addCreditorAccount } from "../tenancy/add-creditor-account.ts";
import { savePaymentType, type PaymentTypeInput } from "./save-payment-type.ts";
import { TaxonomyCatalog } from "./taxonomy-catalog.ts";

const actor = { type: "staff" as const, id: "admin.borgo" };
const specs = process.env.PAGOPA_SPECS_DIR ?? path.resolve(import.meta.dirname, "../../../shared/specs/pagopa");
// With the official list the code must exist in it; without it, the format is what is checked.
const taxonomy = TaxonomyCatalog.load(path.join(specs, "taxonomy/tassonomia.json"));
const IBAN = "IT60X0542811101000000123456";
const POSTAL = "IT25X0760101600001012345678"; // ABI 07601: Poste Italiane
const NOW = new Date("2026-11-22T10:00:00Z");

/** The 4-field form of the back-office e2e: a school canteen top-up. */
const canteen = (overrides: Partial<PaymentTypeInput> = {}): PaymentTypeInput => ({
  code: "MENSA",
  name: "Mensa scolastica",
  taxonomyCode: "9/0101101IM/",
  defaultTransfers: [{ accountIban: IBAN, shareBasisPoints: 10_000 }],
  availableOnPortal: true,
  formDefinition: {
    fields: [
      { name: "alunno", label: "Nome dell'alunno", type: "text", required: true },
      { name: "cfAlunno", label: "Codice fiscale dell'alunno", type: "fiscalCode", required: true },
      { name: "mese", label: "Mese", type: "date", required: true },
      { name: "importo", label: "Importo", type: "number", required: true, min: 5, max: 300 },
    ],
    subjectTemplate: "Mensa {{alunno}} - {{mese}}",
  },
  amountRule: { kind: "range", field: "importo", minCents: 500, maxCents: 30_000 },
  ...overrides,
});

describe("tenant configuration: creditor accounts and payment types", () => {
  const db = new Database({ url: inject("databaseUrl") });
  let tenant: Tenant;
  afterAll(() => db.close());
  beforeAll(async () => {
    tenant = await makeTenant(db, { name: "Comune di Borgo Fiorito" });
    await db.withTenant(tenant.id, (tx) =>
      tx.creditorAccount.create({
        data: {
          tenantId: tenant.id,
          iban: IBAN,
          holder: "Comune di Borgo Fiorito",
          effectiveFrom: new Date("2025-01-01"),
        },
      }),
    );
  });

  it("adds an account at least 7 days ahead, closes the replaced one and keeps the history", async () => {
    await expect(
      addCreditorAccount(
        db,
        tenant.id,
        { iban: "IT60X0542811101000000123457", holder: "Comune", effectiveFrom: "2026-11-25" },
        actor,
        NOW,
      ),
    ).rejects.toMatchObject({
      code: "FORM_INVALID",
      details: { fieldErrors: { iban: expect.stringContaining("IBAN non valido") } },
    });
    await expect(
      addCreditorAccount(db, tenant.id, { iban: POSTAL, holder: "Comune", effectiveFrom: "2026-11-28" }, actor, NOW),
    ).rejects.toMatchObject({ details: { fieldErrors: { effectiveFrom: expect.stringContaining("dal 2026-11-29") } } });

    const postal = await addCreditorAccount(
      db,
      tenant.id,
      { iban: POSTAL, holder: "Comune di Borgo Fiorito", effectiveFrom: "2026-12-01", replacesIban: IBAN },
      actor,
      NOW,
    );
    expect(postal.isPostal).toBe(true);
    const history = await db.withTenant(tenant.id, (tx) =>
      tx.creditorAccount.findMany({ where: { tenantId: tenant.id }, orderBy: { effectiveFrom: "asc" } }),
    );
    expect(
      history.map((a) => [
        a.iban,
        a.effectiveFrom.toISOString().slice(0, 10),
        a.effectiveTo?.toISOString().slice(0, 10) ?? null,
      ]),
    ).toEqual([
      [IBAN, "2025-01-01", "2026-11-30"],
      [POSTAL, "2026-12-01", null],
    ]);
    const audit = await db.withTenant(tenant.id, (tx) =>
      tx.auditLog.findMany({ where: { tenantId: tenant.id, entityType: "CreditorAccount" }, orderBy: { id: "asc" } }),
    ); // uuid v7: insertion order
    expect(audit.map((e) => e.action)).toEqual(["creditor-account.closed", "creditor-account.added"]);
    expect(audit[0]!.actorId).toBe("admin.borgo");
  });

  it("creates a payment type with a 4-field form, then updates it with before/after in the audit log", async () => {
    const created = await savePaymentType(db, tenant, canteen(), actor, taxonomy, NOW);
    expect(created.created).toBe(true);
    const updated = await savePaymentType(
      db,
      tenant,
      canteen({ name: "Mensa scolastica 2026/27", amountRule: { kind: "fixed", amountCents: 4_500 } }),
      actor,
      taxonomy,
      NOW,
    );
    expect(updated).toEqual({ id: created.id, created: false });
    const [first, second] = await db.withTenant(tenant.id, (tx) =>
      tx.auditLog.findMany({ where: { tenantId: tenant.id, entityId: created.id }, orderBy: { id: "asc" } }),
    );
    expect(first).toMatchObject({ action: "payment-type.created", before: null });
    expect(second).toMatchObject({
      action: "payment-type.updated",
      before: { name: "Mensa scolastica" },
      after: { name: "Mensa scolastica 2026/27", amountRule: { kind: "fixed" } },
    });
  });

  it.each([
    ["a malformed taxonomy code", canteen({ taxonomyCode: "0101101IM" }), "taxonomyCode"],
    [
      "an account that is not the council's",
      canteen({ defaultTransfers: [{ accountIban: "IT09X0306909606100000063333", shareBasisPoints: 10_000 }] }),
      "defaultTransfers",
    ],
    [
      "shares that do not sum to 100%",
      canteen({ defaultTransfers: [{ accountIban: IBAN, shareBasisPoints: 9_000 }] }),
      "defaultTransfers",
    ],
    [
      "a subject using a missing field",
      canteen({
        formDefinition: {
          fields: [
            { name: "alunno", label: "Alunno", type: "text", required: true },
            { name: "importo", label: "Importo", type: "number", required: true },
          ],
          subjectTemplate: "Mensa {{classe}}",
        },
      }),
      "formDefinition",
    ],
    [
      "an amount rule on a missing field",
      canteen({ amountRule: { kind: "range", field: "euro", minCents: 1, maxCents: 2 } }),
      "amountRule",
    ],
    [
      "a portal service without a form",
      canteen({ formDefinition: undefined, amountRule: { kind: "fixed", amountCents: 100 } }),
      "formDefinition",
    ],
  ])("refuses %s with a message on the field", async (_name, input, field) => {
    const err = await savePaymentType(db, tenant, { ...input, code: "BAD" }, actor, taxonomy, NOW).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: "FORM_INVALID" });
    expect(Object.keys((err as { details: { fieldErrors: object } }).details.fieldErrors)).toContain(field);
    expect(
      await db.withTenant(tenant.id, (tx) => tx.paymentType.count({ where: { tenantId: tenant.id, code: "BAD" } })),
    ).toBe(0);
  });

  it.skipIf(!taxonomy.official)("refuses a well-formed code that is not in the official taxonomy", async () => {
    await expect(
      savePaymentType(
        db,
        tenant,
        canteen({ code: "NOT_OFFICIAL", taxonomyCode: "9/9999999IM/" }),
        actor,
        taxonomy,
        NOW,
      ),
    ).rejects.toMatchObject({
      details: { fieldErrors: { taxonomyCode: "codice non presente nella tassonomia pagoPA" } },
    });
  });
});
