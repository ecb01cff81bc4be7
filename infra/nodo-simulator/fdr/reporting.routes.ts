import express, { Router } from "express";
import { XMLParser } from "fast-xml-parser";
import { z } from "zod";
import type { SimulatorContext } from "../context.ts";
import type { FlowRecord } from "../store.ts";
import { buildFlows, reviseFlow } from "./build-flows.ts";
import { treasuryCsv, treasuryOpi } from "../treasury.ts";

const NODE_FOR_PA_NS = "http://ws.pagamenti.telematici.gov/";
const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  processEntities: false,
});

/** The flow's own dataOraFlusso (a revision is written later than the flow it corrects). */
const flowInstant = (f: FlowRecord) => /<dataOraFlusso>([^<]+)</.exec(f.xml)?.[1] ?? `${f.date}T23:00:00`;

const soap = (body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:nfpa="${NODE_FOR_PA_NS}"><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;
const fault = (element: string, code: string, text: string) =>
  soap(
    `<nfpa:${element}><fault><faultCode>${code}</faultCode><faultString>${text}</faultString><id>NodoDeiPagamentiSPC</id></fault></nfpa:${element}>`,
  );

/**
 * Reporting flows as the Nodo offers them to creditors: generation on demand, the SOAP
 * nodoChiediElencoFlussiRendicontazione / nodoChiediFlussoRendicontazione (nodeForPa), the
 * FdR 3 REST API for organisations, and the treasury journal of the matching credits.
 */
export function reportingRoutes(ctx: SimulatorContext): Router {
  const router = Router();
  const forCreditor = (cf: string) => ctx.store.flows.filter((f) => f.creditorFiscalCode === cf);

  router.post("/admin/fdr/generate", express.json({ limit: "4kb" }), (req, res) => {
    const date = z.iso.date().safeParse(req.body?.date ?? new Date().toISOString().slice(0, 10));
    if (!date.success) return res.status(400).json({ error: "date must be YYYY-MM-DD" });
    const flows = buildFlows(ctx.store.payments, ctx.store.flows, date.data);
    ctx.store.addFlows(flows);
    res.json(flows.map(({ xml: _xml, ...f }) => f));
  });

  // A PSP corrects a published flow: revision n+1 without the rows of the given IUVs.
  router.post("/admin/fdr/revise", express.json({ limit: "4kb" }), (req, res) => {
    const body = z.object({ flowId: z.string().min(1), dropIuvs: z.array(z.string()).default([]) }).safeParse(req.body);
    if (!body.success) return res.status(400).json({ error: "flowId and dropIuvs[] expected" });
    const flow = ctx.store.flows.find((f) => f.flowId === body.data.flowId);
    if (!flow) return res.status(404).json({ error: "unknown flow" });
    const revised = reviseFlow(flow, body.data.dropIuvs);
    ctx.store.replaceFlow(revised);
    const { xml: _xml, ...summary } = revised;
    res.json(summary);
  });

  router.post("/nodo/nodoPerPa", express.text({ type: () => true, limit: "64kb" }), (req, res) => {
    res.type("text/xml");
    const raw = String(req.body ?? "");
    if (/<!DOCTYPE|<!ENTITY/i.test(raw))
      return res
        .status(400)
        .send(fault("nodoChiediElencoFlussiRendicontazioneRisposta", "PPT_SINTASSI_XSD", "DTD non ammessa"));
    let body: Record<string, Record<string, string>>;
    try {
      body = (parser.parse(raw) as { Envelope: { Body: Record<string, Record<string, string>> } }).Envelope.Body;
    } catch {
      return res
        .status(400)
        .send(fault("nodoChiediElencoFlussiRendicontazioneRisposta", "PPT_SINTASSI_EXTRAXSD", "Messaggio non valido"));
    }
    const [operation, req2] = Object.entries(body)[0] ?? [];
    const answer = `${operation}Risposta`;
    if (req2?.identificativoIntermediarioPA !== ctx.config.NODO_SIM_BROKER_PA) {
      return res.send(fault(answer, "PPT_AUTENTICAZIONE", "Intermediario sconosciuto"));
    }
    const flows = forCreditor(req2.identificativoDominio ?? "").filter(
      (f) => !req2.identificativoPSP || f.idPSP === req2.identificativoPSP,
    );
    if (operation === "nodoChiediElencoFlussiRendicontazione") {
      const items = flows
        .map(
          (f) =>
            `<idRendicontazione><identificativoFlusso>${f.flowId}</identificativoFlusso><dataOraFlusso>${flowInstant(f)}</dataOraFlusso></idRendicontazione>`,
        )
        .join("");
      return res.send(
        soap(
          `<nfpa:${answer}><elencoFlussiRendicontazione><totRestituiti>${flows.length}</totRestituiti>${items}</elencoFlussiRendicontazione></nfpa:${answer}>`,
        ),
      );
    }
    if (operation === "nodoChiediFlussoRendicontazione") {
      const flow = flows.find((f) => f.flowId === req2.identificativoFlusso);
      if (!flow) return res.send(fault(answer, "PPT_ID_FLUSSO_SCONOSCIUTO", "Flusso sconosciuto"));
      return res.send(
        soap(
          `<nfpa:${answer}><xmlRendicontazione>${Buffer.from(flow.xml).toString("base64")}</xmlRendicontazione></nfpa:${answer}>`,
        ),
      );
    }
    res.status(500).send(fault(answer, "PPT_SINTASSI_XSD", "Operazione sconosciuta"));
  });

  // FdR 3 REST (organizations): the published flows and a flow's payments.
  const restFlow = (f: FlowRecord) => ({
    fdr: f.flowId,
    pspId: f.idPSP,
    revision: f.revision ?? 1,
    published: `${f.date}T23:00:00Z`,
    flowDate: `${f.date}T22:00:00Z`,
  });
  router.get("/fdr/organizations/:org/fdrs", (req, res) => {
    const flows = forCreditor(req.params.org).filter((f) => !req.query.pspId || f.idPSP === req.query.pspId);
    res.json({
      metadata: { pageSize: flows.length, pageNumber: 1, totPage: 1 },
      count: flows.length,
      data: flows.map(restFlow),
    });
  });
  const findFlow = (org: string, fdr: string, psp: string) =>
    forCreditor(org).find((f) => f.flowId === fdr && f.idPSP === psp);
  router.get("/fdr/organizations/:org/fdrs/:fdr/revisions/:rev/psps/:psp", (req, res) => {
    const f = findFlow(req.params.org, req.params.fdr, req.params.psp);
    if (!f)
      return res
        .status(404)
        .json({ httpStatusCode: 404, appErrorCode: "FDR-0001", errors: [{ message: "Flow not found" }] });
    if (Number(req.params.rev) !== (f.revision ?? 1))
      return res
        .status(404)
        .json({ httpStatusCode: 404, appErrorCode: "FDR-0001", errors: [{ message: "Revision not found" }] });
    res.json({
      status: "PUBLISHED",
      revision: f.revision ?? 1,
      created: `${f.date}T22:00:00Z`,
      updated: `${f.date}T23:00:00Z`,
      fdr: f.flowId,
      fdrDate: `${f.date}T22:00:00Z`,
      regulation: f.settlementId,
      regulationDate: f.date,
      sender: {
        type: "BIC_CODE",
        id: f.idPSP,
        pspId: f.idPSP,
        pspName: f.idPSP,
        pspBrokerId: f.idPSP,
        channelId: `${f.idPSP}_01`,
      },
      receiver: {
        id: f.creditorFiscalCode,
        organizationId: f.creditorFiscalCode,
        organizationName: f.creditorFiscalCode,
      },
      published: `${f.date}T23:00:00Z`,
      computedTotPayments: f.count,
      computedSumPayments: f.totalCents / 100,
      totPayments: f.count,
      sumPayments: f.totalCents / 100,
    });
  });
  router.get("/fdr/organizations/:org/fdrs/:fdr/revisions/:rev/psps/:psp/payments", (req, res) => {
    const f = findFlow(req.params.org, req.params.fdr, req.params.psp);
    if (!f)
      return res
        .status(404)
        .json({ httpStatusCode: 404, appErrorCode: "FDR-0001", errors: [{ message: "Flow not found" }] });
    const rows = [...f.xml.matchAll(/<datiSingoliPagamenti>([\s\S]*?)<\/datiSingoliPagamenti>/g)].map((m, i) => {
      const get = (tag: string) => new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(m[1]!)?.[1] ?? "";
      return {
        index: i + 1,
        iuv: get("identificativoUnivocoVersamento"),
        iur: get("identificativoUnivocoRiscossione"),
        idTransfer: Number(get("indiceDatiSingoloPagamento")),
        pay: Number(get("singoloImportoPagato")),
        payStatus: get("codiceEsitoSingoloPagamento") === "4" ? "STAND_IN" : "EXECUTED",
        payDate: `${get("dataEsitoSingoloPagamento")}T12:00:00Z`,
      };
    });
    res.json({ metadata: { pageSize: rows.length, pageNumber: 1, totPage: 1 }, count: rows.length, data: rows });
  });

  router.get("/admin/treasury/:cf.csv", (req, res) => {
    res.type("text/csv").send(treasuryCsv(ctx.store.flows, req.params.cf));
  });
  router.get("/admin/treasury/:cf.xml", (req, res) => {
    res.type("application/xml").send(treasuryOpi(ctx.store.flows, req.params.cf));
  });
  return router;
}
