import { createReadStream } from "node:fs";
import { z } from "zod";
import { listTreasuryImports, receiveTreasuryFile, treasuryImportView } from "../../treasury/index.ts";
import { defineOperation, machineActor } from "../operation.ts";
import { ipaParams } from "../schemas/common.ts";
import {
  toTreasuryFileOut,
  toTreasuryFileSummaryOut,
  treasuryFileListOut,
  treasuryFileOut,
} from "../schemas/treasury.schema.ts";

const BASE = "/tenants/:ipa";
const fileParams = ipaParams.extend({ treasuryFileId: z.uuid() });

export const treasuryOperations = [
  defineOperation({
    operationId: "uploadTreasuryFile",
    method: "post",
    path: `${BASE}/treasury-files`,
    tag: "treasury",
    role: "positions.write",
    summary: { it: "Carica un giornale di cassa del tesoriere", en: "Upload a treasurer's journal" },
    description: {
      it: "Giornale di cassa OPI (XML), CSV, XLS/XLSX o estratto conto di Poste, come dal back-office e dalla cartella condivisa: tracciato e versione riconosciuti dal contenuto, accrediti abbinati ai flussi di rendicontazione e pagamenti riclassificati subito. Limite di dimensione TREASURY_MAX_BYTES (413), tipo o contenuto non leggibile 422 con il motivo. Lo stesso file due volte restituisce il giornale precedente (`duplicate`, 200) senza cambiare nulla.",
      en: "OPI journal (XML), CSV, XLS/XLSX or Poste statement, as from the back-office and the drop folder: layout and version detected from the content, credits matched to reporting flows and payments re-classified at once. Size limit TREASURY_MAX_BYTES (413); a type or content that cannot be read is 422 with the reason. The same file twice returns the earlier journal (`duplicate`, 200) and changes nothing.",
    },
    params: ipaParams,
    upload: {
      field: "file",
      description: { it: "Il giornale di cassa", en: "The journal" },
      maxBytes: (config) => config.TREASURY_MAX_BYTES,
    },
    responses: {
      201: { description: { it: "Giornale importato", en: "Journal imported" }, schema: treasuryFileOut },
      200: {
        description: {
          it: "File già importato: il giornale precedente",
          en: "File imported before: the earlier journal",
        },
        schema: treasuryFileOut,
      },
    },
    async handle(ctx) {
      // The operation spooled the file (hashed for the Idempotency-Key); receiveTreasuryFile
      // caps it at TREASURY_MAX_BYTES, checks and deduplicates it by content.
      const upload = ctx.upload!;
      const summary = await receiveTreasuryFile(
        ctx.deps,
        ctx.tenant.id,
        { name: upload.fileName, content: createReadStream(upload.path), source: "API" },
        machineActor(ctx),
        ctx.requestId,
      );
      const view = await treasuryImportView(ctx.deps.db, ctx.tenant.id, summary.importId);
      return { status: summary.duplicate ? 200 : 201, body: toTreasuryFileOut(view, summary.duplicate) };
    },
  }),
  defineOperation({
    operationId: "listTreasuryFiles",
    method: "get",
    path: `${BASE}/treasury-files`,
    tag: "treasury",
    role: "positions.read",
    summary: { it: "Giornali di cassa importati", en: "Treasury journals imported" },
    description: {
      it: "Gli ultimi 30, dal più recente, da qualunque canale.",
      en: "The latest 30, newest first, from any door.",
    },
    params: ipaParams,
    responses: { 200: { description: { it: "I giornali", en: "The journals" }, schema: treasuryFileListOut } },
    async handle(ctx) {
      const items = await listTreasuryImports(ctx.deps.db, ctx.tenant.id);
      return { status: 200, body: { items: items.map(toTreasuryFileSummaryOut) } };
    },
  }),
  defineOperation({
    operationId: "getTreasuryFile",
    method: "get",
    path: `${BASE}/treasury-files/:treasuryFileId`,
    tag: "treasury",
    role: "positions.read",
    summary: { it: "Esito di un giornale di cassa", en: "Outcome of a treasury journal" },
    description: {
      it: "Tracciato riconosciuto, accrediti letti, riconciliati e no (come stanno ora: un flusso arrivato dopo li cambia), righe scartate con il motivo.",
      en: "Layout detected, credits read, reconciled or not (as they stand now: a flow arriving later changes them), rows refused with the reason.",
    },
    params: fileParams,
    responses: { 200: { description: { it: "Il giornale", en: "The journal" }, schema: treasuryFileOut } },
    async handle(ctx) {
      const view = await treasuryImportView(ctx.deps.db, ctx.tenant.id, ctx.params.treasuryFileId);
      return { status: 200, body: toTreasuryFileOut(view) };
    },
  }),
];
