import { z } from "zod";
import { listPaymentTypes } from "../../catalog/index.ts";
import { renderNoticeByNav, renderPositionNotice } from "../../notices/index.ts";
import { findPosition } from "../../positions/index.ts";
import { getReceipt, receiptsFeed, renderReceiptPdfByReceiptId } from "../../receipts/index.ts";
import type { Deps } from "../../platform/deps.ts";
import { defineOperation, type Bilingual, type ResponseSpec } from "../operation.ts";
import { ipaParams, iso } from "../schemas/common.ts";
import {
  paymentTypeOut,
  receiptFeedOut,
  receiptFeedQuery,
  receiptOut,
  receiptView,
} from "../schemas/receipts.schema.ts";

const BASE = "/tenants/:ipa";
const pdf = (it: string, en: string): Record<number, ResponseSpec> => ({ 200: { description: { it, en }, pdf: true } });
const NOTICE = pdf("Avviso di pagamento pagoPA (PDF)", "pagoPA payment notice (PDF)");
type PdfDeps = Pick<Deps, "db" | "pdf">;

/** A notice PDF of one position: the three ways of naming it differ only in path and rendering. */
function noticeBy<P extends z.ZodObject<z.ZodRawShape>>(spec: {
  operationId: string;
  path: string;
  summary: Bilingual;
  params: P;
  render: (deps: PdfDeps, tenantId: string, params: z.output<P>) => Promise<{ fileName: string; pdf: Buffer }>;
}) {
  return defineOperation({
    operationId: spec.operationId,
    method: "get",
    path: spec.path,
    tag: "notices",
    role: "positions.read",
    summary: spec.summary,
    params: spec.params,
    responses: NOTICE,
    handle: async (ctx) => ({
      pdf: await spec.render({ db: ctx.deps.db, pdf: ctx.deps.pdf }, ctx.tenant.id, ctx.params),
    }),
  });
}

export const documentOperations = [
  noticeBy({
    operationId: "getPositionNotice",
    path: `${BASE}/positions/:positionId/notice.pdf`,
    summary: { it: "Avviso di pagamento di una posizione", en: "Payment notice of a position" },
    params: ipaParams.extend({ positionId: z.string().max(64) }),
    render: (deps, tenantId, p) => renderPositionNotice(deps, tenantId, p.positionId),
  }),
  noticeBy({
    operationId: "getNoticeByNav",
    path: `${BASE}/notices/:nav/notice.pdf`,
    summary: { it: "Avviso di pagamento dal numero avviso", en: "Payment notice by notice number" },
    params: ipaParams.extend({ nav: z.string().max(18) }),
    render: (deps, tenantId, p) => renderNoticeByNav(deps, tenantId, p.nav),
  }),
  noticeBy({
    operationId: "getNoticeByExternalId",
    path: `${BASE}/positions/by-external-id/:externalId/notice.pdf`,
    summary: { it: "Avviso di pagamento dall'identificativo dell'ente", en: "Payment notice by the council's id" },
    params: ipaParams.extend({ externalId: z.string().min(1).max(64) }),
    render: async (deps, tenantId, p) => {
      const position = await findPosition(deps.db, tenantId, { externalId: p.externalId });
      return renderPositionNotice(deps, tenantId, position.id);
    },
  }),
  defineOperation({
    operationId: "receiptsFeed",
    method: "get",
    path: `${BASE}/receipts`,
    tag: "receipts",
    role: "receipts.read",
    summary: {
      it: "Flusso delle ricevute: cosa è stato pagato dall'ultima chiamata",
      en: "Receipts feed: what was paid since the last call",
    },
    description: {
      it: "Ogni ricevuta compare una sola volta fra chiamate successive con il cursore restituito. Le ricevute compaiono circa 10 secondi dopo l'arrivo.",
      en: "Each receipt appears once across calls made with the returned cursor. Receipts show about 10 seconds after they arrive.",
    },
    params: ipaParams,
    query: receiptFeedQuery,
    responses: { 200: { description: { it: "Ricevute", en: "Receipts" }, schema: receiptFeedOut } },
    async handle(ctx) {
      const feed = await receiptsFeed(ctx.deps.db, ctx.tenant.id, { after: ctx.query.cursor, limit: ctx.query.limit });
      return { status: 200, body: { items: feed.items.map(receiptView), nextCursor: feed.next } };
    },
  }),
  defineOperation({
    operationId: "getReceipt",
    method: "get",
    path: `${BASE}/receipts/:receiptId`,
    tag: "receipts",
    role: "receipts.read",
    summary: { it: "Una ricevuta (JSON)", en: "One receipt (JSON)" },
    params: ipaParams.extend({ receiptId: z.string().max(35) }),
    responses: { 200: { description: { it: "La ricevuta", en: "The receipt" }, schema: receiptOut } },
    async handle(ctx) {
      return { status: 200, body: receiptView(await getReceipt(ctx.deps.db, ctx.tenant.id, ctx.params.receiptId)) };
    },
  }),
  defineOperation({
    operationId: "getReceiptPdf",
    method: "get",
    path: `${BASE}/receipts/:receiptId/receipt.pdf`,
    tag: "receipts",
    role: "receipts.read",
    summary: { it: "Una ricevuta (PDF)", en: "One receipt (PDF)" },
    params: ipaParams.extend({ receiptId: z.string().max(35) }),
    responses: pdf("Ricevuta di pagamento (PDF)", "Payment receipt (PDF)"),
    async handle(ctx) {
      const { db, pdf } = ctx.deps;
      return { pdf: await renderReceiptPdfByReceiptId({ db, pdf }, ctx.tenant.id, ctx.params.receiptId) };
    },
  }),
  defineOperation({
    operationId: "listPaymentTypes",
    method: "get",
    path: `${BASE}/payment-types`,
    tag: "payment-types",
    role: "positions.read",
    summary: { it: "Tipi di pagamento dell'ente", en: "The council's payment types" },
    params: ipaParams,
    responses: {
      200: { description: { it: "Tipi di pagamento", en: "Payment types" }, schema: z.array(paymentTypeOut) },
    },
    async handle(ctx) {
      const types = await listPaymentTypes(ctx.deps.db, ctx.tenant.id);
      return {
        status: 200,
        body: types.map((t) => ({
          code: t.code,
          name: t.name,
          description: t.description,
          taxonomyCode: t.taxonomyCode,
          status: t.status,
          active: t.active,
          availableOnPortal: t.availableOnPortal,
          availableAtCounter: t.availableAtCounter,
          availableAtPsp: t.availableAtPsp,
          validFrom: iso(t.validFrom),
          validTo: iso(t.validTo),
          amountRule: (t.amountRule as Record<string, unknown> | null) ?? null,
        })),
      };
    },
  }),
];
