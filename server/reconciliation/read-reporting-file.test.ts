import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { hasRealWorld, REAL_WORLD_DIR, realWorldFile } from "../test/harness/reconciliation/real-world.ts";
import { readReportingDocument } from "./read-reporting-file.ts";
import type { ReportingDocument } from "./reporting-document.ts";

const P = "fdr/pagopa-fdr-nodo-dei-pagamenti";
const read = (file: string) => readReportingDocument(realWorldFile(`fdr/${file}`));
const flowOf = (doc: ReportingDocument) => {
  if (doc.kind !== "flow") throw new Error(`expected a flow, got ${JSON.stringify(doc).slice(0, 300)}`);
  return doc.flow;
};
const refusal = (doc: ReportingDocument) => (doc.kind === "refused" ? doc.reason : `read as ${doc.kind}`);

// What each real file is, from fdr/PROVENANCE.md: read (with what), or refused (and why).
const EXPECTED: Record<string, ReportingDocument["kind"]> = {
  "p4pa-pu-feature-test/template_data_single_payment.xml": "refused",
  "p4pa-pu-feature-test/template_payment_reporting.xml": "refused",
  "pagopa-api_openapi-examples/fdr3_org_get_flow_response.example.json": "refused",
  "pagopa-api_openapi-examples/fdr3_org_get_payments_response.example.json": "refused",
  "pagopa-api_openapi-examples/fdr3_org_list_fdrs_response.example.json": "refused",
  "pagopa-api_openapi-examples/fdr3_psp_create_flow_request.example.json": "refused",
  "pagopa-devportal-docs/FlussoRiversamento_docs_example.xml": "flow",
  "pagopa-fdr/fdr3_flow-template.json": "refused",
  "pagopa-fdr/fdr3_flow-wrong-fields.json": "refused",
  "pagopa-fdr/fdr3_flow-wrong-instant.json": "refused",
  "pagopa-fdr/fdr3_malformed.json": "refused",
  "pagopa-fdr/fdr3_payments-add-invalid-format-value.json": "refused",
  "pagopa-fdr/fdr3_payments-add-invalid-format.json": "refused",
  "pagopa-fdr/fdr3_payments-add-same-index.json": "refused",
  "pagopa-fdr/fdr3_payments-add-template-2.json": "payments",
  "pagopa-fdr/fdr3_payments-add-template.json": "payments",
  "pagopa-fdr-json-to-xml/test-1-content.json": "flow",
  "pagopa-fdr-json-to-xml/test-1-content.json.gz": "flow",
  "pagopa-fdr-json-to-xml/test-1-expected.json": "flow",
  "pagopa-fdr-nodo-dei-pagamenti/FlussoRiversamento_2023-04-18nodo-doc-dev.xml": "flow",
  "pagopa-fdr-nodo-dei-pagamenti/fdr3_convertFlow_request.json": "refused",
  "pagopa-fdr-nodo-dei-pagamenti/fdr3_internalGetFdrPayment_OK.json": "payments",
  "pagopa-fdr-nodo-dei-pagamenti/fdr3_internalGetWithRevision_OK.json": "flow-header",
  "pagopa-fdr-nodo-dei-pagamenti/nodoChiediElencoFlussiRendicontazioneRisposta_KO.xml": "refused",
  "pagopa-fdr-nodo-dei-pagamenti/nodoChiediElencoFlussiRendicontazioneRisposta_OK.xml": "flow-list",
  "pagopa-fdr-nodo-dei-pagamenti/nodoChiediFlussoRendicontazioneRisposta_KO.xml": "refused",
  "pagopa-fdr-nodo-dei-pagamenti/nodoChiediFlussoRendicontazioneRisposta_OK.decoded.xml": "flow",
  "pagopa-fdr-nodo-dei-pagamenti/nodoChiediFlussoRendicontazioneRisposta_OK.xml": "flow",
  "pagopa-fdr-nodo-dei-pagamenti/template_rendicontazione.xml": "refused",
  "pagopa-fdr-xml-to-json/event_ok_1.json": "refused",
  "pagopa-fdr-xml-to-json/nodoInviaFlussoRendicontazione.decoded.xml": "flow",
  "pagopa-fdr-xml-to-json/nodoInviaFlussoRendicontazione.xml": "flow",
};

describe.skipIf(!hasRealWorld)(
  "reporting flows written by pagoPA and other platforms (skipped without ../shared/fixtures)",
  () => {
    it("every real file is either read as what it is or refused with a reason", () => {
      const files = readdirSync(path.join(REAL_WORLD_DIR, "fdr"), { recursive: true, withFileTypes: true })
        .filter((d) => d.isFile() && d.name !== "PROVENANCE.md")
        .map((d) => path.relative(path.join(REAL_WORLD_DIR, "fdr"), path.join(d.parentPath, d.name)))
        .sort();
      expect(files).toEqual(Object.keys(EXPECTED).sort());
      for (const file of files) {
        const doc = read(file);
        expect({ file, kind: doc.kind }).toEqual({ file, kind: EXPECTED[file] });
        if (doc.kind === "refused") expect(doc.reason.length, file).toBeGreaterThan(10);
      }
    });

    it("detects FdR 1 (FlussoRiversamento 1.0) and trusts the rows when the header totals disagree", () => {
      for (const file of [
        `FlussoRiversamento_2023-04-18nodo-doc-dev.xml`,
        `nodoChiediFlussoRendicontazioneRisposta_OK.decoded.xml`,
        `nodoChiediFlussoRendicontazioneRisposta_OK.xml`,
      ]) {
        const flow = flowOf(readReportingDocument(realWorldFile(`${P}/${file}`)));
        expect(flow.format).toBe("FDR1 FlussoRiversamento 1.0");
        expect(flow.rows).toHaveLength(12);
        expect(flow.rows.reduce((s, r) => s + r.amountCents, 0)).toBe(1_198_800);
        expect([flow.declaredCount, flow.declaredTotalCents]).toEqual([1, 99_900]);
        expect(flow.warnings).toEqual(["declared 1 payments for 99900 cents, rows are 12 for 1198800 cents"]);
        expect(flow.rows.every((r) => r.outcomeCode === 9)).toBe(true);
      }
    });

    it("reads the documentation's flow and the flow inside nodoInviaFlussoRendicontazione", () => {
      const docs = flowOf(read("pagopa-devportal-docs/FlussoRiversamento_docs_example.xml"));
      expect([docs.rows.length, docs.rows[0]!.amountCents, docs.rows[0]!.outcomeCode, docs.warnings]).toEqual([
        1,
        123_456,
        0,
        [],
      ]);
      const sent = flowOf(read("pagopa-fdr-xml-to-json/nodoInviaFlussoRendicontazione.xml"));
      const decoded = flowOf(read("pagopa-fdr-xml-to-json/nodoInviaFlussoRendicontazione.decoded.xml"));
      expect(sent).toEqual(decoded);
      expect([sent.rows.length, sent.declaredTotalCents, sent.rows[0]!.outcomeCode]).toEqual([1, 1000, 9]);
    });

    it("detects FdR 3 JSON plain, gzipped and base64-gzip wrapped as the same flow", () => {
      const plain = flowOf(read("pagopa-fdr-json-to-xml/test-1-content.json"));
      expect(flowOf(read("pagopa-fdr-json-to-xml/test-1-content.json.gz"))).toEqual(plain);
      expect(flowOf(read("pagopa-fdr-json-to-xml/test-1-expected.json"))).toEqual(plain);
      expect(plain).toMatchObject({
        format: "FDR3",
        flowId: "2025-03-1488888888888-750729191",
        revision: 1,
        pspId: "88888888888",
      });
      expect(plain.settlementDate).toBe("2025-03-14"); // 23:00Z is the next day in Rome
      expect(plain.rows.map((r) => r.amountCents)).toEqual([1000]);
    });

    it("maps FdR 3 payment statuses onto the outcome codes 0, 3, 9, 4, 8", () => {
      const doc = read("pagopa-fdr/fdr3_payments-add-template.json");
      expect(doc.kind === "payments" && doc.rows.map((r) => r.outcomeCode)).toEqual([0, 3, 9, 4, 8]);
    });

    it("says why it refuses", () => {
      expect(refusal(read(`pagopa-fdr-nodo-dei-pagamenti/template_rendicontazione.xml`))).toMatch(
        /template.*\{idflusso\}/,
      );
      expect(refusal(read(`pagopa-fdr-nodo-dei-pagamenti/nodoChiediFlussoRendicontazioneRisposta_KO.xml`))).toMatch(
        /fault PPT_/,
      );
      expect(refusal(read("pagopa-fdr/fdr3_payments-add-same-index.json"))).toMatch(/index 100 appears twice/);
      expect(refusal(read("pagopa-fdr/fdr3_malformed.json"))).toMatch(/not well-formed JSON/);
      expect(refusal(read("pagopa-api_openapi-examples/fdr3_org_get_flow_response.example.json"))).toMatch(/field/);
      expect(refusal(readReportingDocument(Buffer.from('<!DOCTYPE x [<!ENTITY a "b">]><x/>')))).toMatch(/DTD/);
    });
  },
);
