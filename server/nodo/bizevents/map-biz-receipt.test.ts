import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REAL_WORLD_DIR } from "../../test/harness/reconciliation/real-world.ts";
import { bizTime, mapBizEvent, mapOrganizationReceipt } from "./map-biz-receipt.ts";

const DIR = path.join(REAL_WORLD_DIR, "receipts");
const have = existsSync(path.join(DIR, "PROVENANCE.md"));

/** Every JSON file other platforms wrote, as found (PROVENANCE.md lists them). */
const jsonFiles = () =>
  readdirSync(DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) =>
      readdirSync(path.join(DIR, d.name))
        .filter((f) => f.endsWith(".json"))
        .map((f) => `${d.name}/${f}`),
    );
const read = (f: string) => JSON.parse(readFileSync(path.join(DIR, f), "utf8")) as Record<string, unknown>;

describe("biz-events receipts as pagoPA's services wrote them", () => {
  it("reads Rome local times without an offset, in summer and winter", () => {
    expect(bizTime("2022-12-06T17:54:08.017744")?.toISOString()).toBe("2022-12-06T16:54:08.017Z");
    expect(bizTime("2023-07-01T10:00:00")?.toISOString()).toBe("2023-07-01T08:00:00.000Z");
    expect(bizTime("2021-01-01")?.toISOString()).toBe("2020-12-31T23:00:00.000Z");
    expect(bizTime("2024-01-01T10:00:00Z")?.toISOString()).toBe("2024-01-01T10:00:00.000Z");
    expect(bizTime("string")).toBeNull();
  });

  it.skipIf(!have)("maps every real file or refuses it with a reason (skipped without ../shared/fixtures)", () => {
    const outcomes: Record<string, string> = {};
    for (const f of jsonFiles()) {
      const json = read(f);
      // The document's own shape decides the reader: a biz-event has debtorPosition, the API's receipt noticeNumber.
      const mapped = "debtorPosition" in json ? mapBizEvent(json) : mapOrganizationReceipt(json);
      outcomes[f] = mapped.ok ? "mapped" : `refused: ${mapped.reason}`;
      if (!mapped.ok) expect(mapped.reason.length).toBeGreaterThan(5);
    }
    expect(Object.keys(outcomes).length).toBeGreaterThanOrEqual(19);
    const mapped = Object.entries(outcomes)
      .filter(([, o]) => o === "mapped")
      .map(([f]) => f)
      .sort();
    // Every biz-event with an 18-digit notice number is a receipt, whatever its modelType.
    expect(mapped).toEqual([
      "pagopa-biz-events-datastore/bizEvent.json",
      "pagopa-biz-events-datastore/bizEventModelType1.json",
      "pagopa-biz-events-datastore/bizEventWithTransactionDetails.json",
      "pagopa-biz-events-service/bizEvent.json",
      "pagopa-biz-events-service/bizEvent_duplicate.json",
      "pagopa-biz-events-service/bizEvent_with_MBD.json",
      "pagopa-receipt-pdf-generator/biz-event.json",
      "pagopa-receipt-pdf-generator/bizEventGuest.json",
    ]);
    // The e-commerce sample's notice number has 17 digits: not a notice, refused.
    expect(outcomes["pagopa-biz-events-datastore/bizEventECommerce.json"]).toMatch(/noticeNumber/);
    // pagoPA's test receipt has a 36-character UUID as receiptId: paSendRTV2 allows 35 and so
    // does our store, so it is refused rather than cut.
    expect(outcomes["pagopa-biz-events-service/getOrganizationReceipt.json"]).toBe(
      "refused: receiptId: Too big: expected string to have <=35 characters",
    );
    // A cart of the old model has no notice number; the GPD option, the PDF document and the
    // OpenAPI placeholder example ("string") are not receipts.
    for (const f of [
      "pagopa-biz-events-datastore/bizEventModCart1.json",
      "pagopa-gpd-payments/gpd_receiptPaymentOption.json",
      "pagopa-receipt-pdf-datastore/receipt_data.json",
      "pagopa-api_openapi-examples/bizevents_org_receipt_200.example.json",
    ])
      expect(outcomes[f]).toMatch(/^refused: /);
  });

  it.skipIf(!have)("maps the organisation receipt of the biz-events service field by field", () => {
    // The same file with a receiptId of legal length (see above); every other field as written.
    const json = {
      ...read("pagopa-biz-events-service/getOrganizationReceipt.json"),
      receiptId: "5dcd115ac18d4197a33b681767e82999",
    };
    const mapped = mapOrganizationReceipt(json);
    expect(mapped.ok).toBe(true);
    if (!mapped.ok) return;
    const r = mapped.receipt;
    expect(r).toMatchObject({
      receiptId: "5dcd115ac18d4197a33b681767e82999",
      nav: "302111144093833700",
      noticeFiscalCode: "66666666666",
      outcome: "OK",
      creditorReferenceId: "111144093833700",
      amountCents: 2000,
      feeCents: 0,
      pspId: "60000000001",
      pspName: "PSP Paolo",
      channelId: "60000000001_06",
      paymentMethod: "BBT",
      standIn: false,
      payer: null,
      debtor: { type: "F", fiscalCode: "RCCGLD09P09H501E", name: "Gesualdo;Riccitelli" },
    });
    expect(r.paymentDateTime?.toISOString()).toBe("2022-10-24T15:54:08.000Z");
    // pagoPA's own sample numbers both transfers 0: they keep their order as 1 and 2.
    expect(r.transfers.map((t) => [t.index, t.amountCents, t.fiscalCodePA])).toEqual([
      [1, 1000, "66666666666"],
      [2, 1000, "88888888888"],
    ]);
  });

  it.skipIf(!have)("maps a biz-event with a digital stamp (MBD) and string amounts", () => {
    const mapped = mapBizEvent(read("pagopa-biz-events-service/bizEvent_with_MBD.json"));
    expect(mapped.ok).toBe(true);
    if (!mapped.ok) return;
    expect(mapped.receipt).toMatchObject({
      receiptId: "85570ffebb13411b80d79f415641ec55",
      nav: "021150441415530487",
      creditorReferenceId: "112006686812600",
      amountCents: 10100,
      feeCents: 1000,
      pspId: "nodo-doc-dev",
    });
    expect(mapped.receipt.transfers.map((t) => [t.index, t.amountCents, t.mbdAttachment])).toEqual([
      [1, 5000, "FROM_STRING"],
      [2, 5100, null],
    ]);
  });
});
