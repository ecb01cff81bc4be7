import { pipeline } from "node:stream/promises";
import { z } from "zod";
import { exportContentType, exportFileName, exportRequestSchema, writeExport } from "../../exports/index.ts";
import { getImport, layoutsFor, outcomeFileName, outcomeStream } from "../../imports/index.ts";
import { AppError } from "../../platform/errors.ts";
import { receiveImportUpload } from "../multipart-upload.ts";
import { defineOperation, machineActor } from "../operation.ts";
import { described, ipaParams, isoDate, romeDate } from "../schemas/common.ts";
import { importOut, OUTCOME_LAYOUT_NAMES, toImportOut } from "../schemas/imports.schema.ts";

const BASE = "/tenants/:ipa";
const importParams = ipaParams.extend({ importId: z.uuid() });
const CSV = ["text/csv"] as const;
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

const periodQuery = {
  from: described(isoDate.optional(), "Primo giorno (ora di Roma), incluso", "First day (Rome time), included"),
  to: described(isoDate.optional(), "Ultimo giorno (ora di Roma), incluso", "Last day (Rome time), included"),
  format: described(z.enum(["csv", "xlsx"]).default("csv"), "csv oppure xlsx", "csv or xlsx"),
};
/** The period, layout and format rules (a ZodError: 400 problem+json naming the field). */
const exportRequest = (input: unknown) => exportRequestSchema.parse(input);

export const importOperations = [
  defineOperation({
    operationId: "uploadImport",
    method: "post",
    path: `${BASE}/imports`,
    tag: "imports",
    role: "positions.write",
    summary: { it: "Carica un file di posizioni da importare", en: "Upload a file of positions to import" },
    description: {
      it: "Tracciato PontePA (CSV o XLSX), MyPay «import dovuti» 1.0–1.4 (zip `<ipa>-<flusso>-<versione>.zip`) o CSV GovPay, come dal back-office: stessi limiti di dimensione (413) e di tipo (422). L'importazione prosegue in background: interrogare lo stato. Lo stesso file caricato due volte restituisce l'importazione precedente (`duplicate`).",
      en: "PontePA layout (CSV or XLSX), MyPay 1.0–1.4 zip (`<ipa>-<flow>-<version>.zip`) or GovPay CSV, as in the back-office: same size (413) and type (422) checks. The import runs in the background: poll its status. The same file uploaded twice returns the earlier import (`duplicate`).",
    },
    params: ipaParams,
    upload: { field: "file", description: { it: "Il file da importare", en: "The file to import" } },
    responses: {
      202: { description: { it: "Importazione accodata", en: "Import queued" }, schema: importOut },
      200: {
        description: {
          it: "File già caricato: l'importazione precedente",
          en: "File uploaded before: the earlier import",
        },
        schema: importOut,
      },
    },
    async handle(ctx) {
      const started = await receiveImportUpload(ctx.deps, ctx.tenant, ctx.upload!, machineActor(ctx), ctx.requestId);
      const view = await getImport(ctx.deps.db, ctx.tenant.id, started.import.id);
      return {
        status: started.duplicate ? 200 : 202,
        body: toImportOut(view, layoutsFor(view.file.format), started.duplicate),
      };
    },
  }),
  defineOperation({
    operationId: "getImport",
    method: "get",
    path: `${BASE}/imports/:importId`,
    tag: "imports",
    role: "positions.read",
    summary: { it: "Stato di un'importazione", en: "Status of an import" },
    params: importParams,
    responses: { 200: { description: { it: "L'importazione", en: "The import" }, schema: importOut } },
    async handle(ctx) {
      const view = await getImport(ctx.deps.db, ctx.tenant.id, ctx.params.importId);
      return { status: 200, body: toImportOut(view, layoutsFor(view.file.format)) };
    },
  }),
  defineOperation({
    operationId: "getImportOutcome",
    method: "get",
    path: `${BASE}/imports/:importId/outcome/:layout`,
    tag: "imports",
    role: "positions.read",
    summary: { it: "File di esito di un'importazione", en: "Outcome file of an import" },
    description: {
      it: "`native` per ogni tracciato; `mypay-scarti` e `mypay-esito` per MyPay; `govpay` per GovPay. Righe già elaborate anche a importazione in corso.",
      en: "`native` for every layout; `mypay-scarti` and `mypay-esito` for MyPay; `govpay` for GovPay. Rows done so far while the import runs.",
    },
    params: importParams.extend({ layout: z.enum(OUTCOME_LAYOUT_NAMES) }),
    responses: { 200: { description: { it: "Esito (CSV)", en: "Outcome (CSV)" }, file: CSV } },
    async handle(ctx) {
      const { db } = ctx.deps;
      const view = await getImport(db, ctx.tenant.id, ctx.params.importId);
      const layout = layoutsFor(view.file.format).find((l) => l === ctx.params.layout);
      if (!layout)
        throw new AppError("NOT_FOUND", `No ${ctx.params.layout} outcome for a ${view.file.format} import`, 404);
      const stream = await outcomeStream(db, ctx.tenant.id, view.file.id, layout);
      return {
        file: {
          fileName: outcomeFileName(view.file.fileName, layout),
          contentType: "text/csv; charset=utf-8",
          write: (out) => pipeline(stream, out),
        },
      };
    },
  }),
  defineOperation({
    operationId: "exportPaidReceipts",
    method: "get",
    path: `${BASE}/exports/paid`,
    tag: "exports",
    role: "receipts.read",
    summary: { it: "Pagamenti ricevuti in un periodo", en: "Payments received in a period" },
    description: {
      it: "Ricevute positive pagate nei giorni indicati (ora di Roma, al massimo un anno), nel tracciato PontePA (CSV `;` o XLSX), MyPay pagati (CSV `;`) o GovPay riscossioni (CSV `,`, una riga per versamento). Prodotto in streaming.",
      en: "Successful receipts paid on the given days (Rome time, at most a year), in PontePA's layout (CSV `;` or XLSX), MyPay's paid layout (CSV `;`) or GovPay's (CSV `,`, one line per transfer). Streamed.",
    },
    params: ipaParams,
    query: z.object({
      ...periodQuery,
      from: described(
        isoDate.optional(),
        "Primo giorno di pagamento (ora di Roma); senza `from` e `to`: ieri",
        "First payment day (Rome time); without `from` and `to`: yesterday",
      ),
      to: described(
        isoDate.optional(),
        "Ultimo giorno di pagamento (ora di Roma), incluso",
        "Last payment day (Rome time), included",
      ),
      layout: described(z.enum(["native", "mypay", "govpay"]).default("native"), "Tracciato", "Layout"),
    }),
    responses: { 200: { description: { it: "Il file", en: "The file" }, file: [...CSV, XLSX] } },
    async handle(ctx) {
      const { from, to } = ctx.query;
      const yesterday = romeDate(new Date(Date.now() - 86_400_000));
      const period = from === undefined && to === undefined ? { from: yesterday, to: yesterday } : { from, to };
      const request = exportRequest({ kind: "paid", ...ctx.query, ...period });
      return {
        file: {
          fileName: exportFileName(ctx.tenant.ipaCode, request),
          contentType: exportContentType(request),
          write: (out) => writeExport(ctx.deps.db, ctx.tenant.id, request, out),
        },
      };
    },
  }),
  defineOperation({
    operationId: "exportOpenDebts",
    method: "get",
    path: `${BASE}/exports/open`,
    tag: "exports",
    role: "positions.read",
    summary: { it: "Posizioni aperte", en: "Open debts" },
    description: {
      it: "Le rate non pagate delle posizioni pubblicate, nel tracciato PontePA (CSV `;` o XLSX); `from`/`to` limitano la scadenza. Prodotto in streaming.",
      en: "Unpaid options of published positions, in PontePA's layout (CSV `;` or XLSX); `from`/`to` narrow the due date. Streamed.",
    },
    params: ipaParams,
    query: z.object(periodQuery),
    responses: { 200: { description: { it: "Il file", en: "The file" }, file: [...CSV, XLSX] } },
    async handle(ctx) {
      const request = exportRequest({ kind: "open", ...ctx.query });
      return {
        file: {
          fileName: exportFileName(ctx.tenant.ipaCode, request),
          contentType: exportContentType(request),
          write: (out) => writeExport(ctx.deps.db, ctx.tenant.id, request, out),
        },
      };
    },
  }),
];
