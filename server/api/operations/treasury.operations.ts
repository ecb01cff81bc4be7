import type { Request } from "express";
import busboy from "busboy";
import { z } from "zod";
import type { Actor } from "../../audit/index.ts";
import type { Deps } from "../../platform/deps.ts";
import { AppError } from "../../platform/errors.ts";
import {
  listTreasuryImports,
  receiveTreasuryFile,
  treasuryImportView,
  type TreasuryImportSummary,
} from "../../treasury/index.ts";
import { defineOperation, type OperationContext } from "../operation.ts";
import { ipaParams } from "../schemas/common.ts";
import {
  toTreasuryFileOut,
  toTreasuryFileSummaryOut,
  treasuryFileListOut,
  treasuryFileOut,
} from "../schemas/treasury.schema.ts";

const BASE = "/tenants/:ipa";
const fileParams = ipaParams.extend({ treasuryFileId: z.uuid() });
const actorOf = (ctx: OperationContext<unknown, unknown, unknown>): Actor => ({
  type: "machine",
  id: ctx.principal.clientId,
});

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
    upload: { field: "file", description: { it: "Il giornale di cassa", en: "The journal" } },
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
      const summary = await receiveUpload(ctx.deps, ctx.tenant.id, ctx.request, actorOf(ctx), ctx.requestId);
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

/**
 * The multipart body's `file` part streamed into receiveTreasuryFile (capped at
 * TREASURY_MAX_BYTES, checked, deduplicated by content, audited as the API client).
 */
function receiveUpload(
  deps: Deps,
  tenantId: string,
  req: Request,
  actor: Actor,
  requestId?: string,
): Promise<TreasuryImportSummary> {
  const invalid = (message: string) => new AppError("TREASURY_FILE_INVALID", message, 422);
  return new Promise((resolve, reject) => {
    let handled = false;
    let bb: busboy.Busboy;
    try {
      bb = busboy({
        headers: req.headers,
        limits: { files: 1, fields: 4, fieldSize: 1024, fileSize: deps.config.TREASURY_MAX_BYTES + 1 },
      });
    } catch {
      return reject(invalid("Send the file as multipart/form-data, in the field `file`"));
    }
    bb.on("file", (name, stream, info) => {
      if (handled || name !== "file" || !info.filename) return stream.resume();
      handled = true;
      receiveTreasuryFile(
        deps,
        tenantId,
        { name: info.filename, content: stream, source: "API" },
        actor,
        requestId,
      ).then(resolve, (err: unknown) => {
        stream.resume();
        reject(err as Error);
      });
    });
    bb.on("close", () => {
      if (!handled) reject(invalid("No file in the field `file`"));
    });
    bb.on("error", (err) => reject(invalid(`Invalid multipart body: ${(err as Error).message}`)));
    req.pipe(bb);
  });
}
