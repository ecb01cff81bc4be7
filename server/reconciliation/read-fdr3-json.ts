import { gunzipSync } from "node:zlib";
import { z } from "zod";
import {
  euroNumberToCents,
  OUTCOME_CODES,
  placeholderIn,
  ReportingFormatError,
  romeDay,
  type ReportingDocument,
  type ReportingFlowHeader,
  type ReportingRowData,
} from "./reporting-document.ts";

/**
 * FdR 3 instants: ISO 8601 as the REST API documents them, or epoch seconds with a fraction as
 * FdR 3's own blob storage writes them (pagopa-fdr-json-to-xml's content files).
 */
const instant = z.union([
  z.iso.datetime({ offset: true, local: false }).transform((s) => new Date(s)),
  z
    .number()
    .positive()
    .transform((n) => new Date(Math.round(n * 1000))),
]);
const dayOrInstant = z.union([z.iso.date(), instant.transform((d) => romeDay(d))]);

const paymentSchema = z.object({
  index: z.number().int().min(1),
  iuv: z.string().min(1).max(35),
  iur: z.string().min(1).max(35),
  idTransfer: z.number().int().min(1).max(5),
  pay: z.number(),
  payStatus: z.enum(Object.keys(OUTCOME_CODES) as [keyof typeof OUTCOME_CODES]),
  payDate: instant,
});
const headerSchema = z.object({
  fdr: z.string().min(1).max(35),
  fdrDate: instant,
  revision: z.number().int().min(1).default(1),
  regulation: z.string().min(1).max(35),
  regulationDate: dayOrInstant,
  sender: z.object({ pspId: z.string().min(1).max(35) }),
  receiver: z.object({ organizationId: z.string().min(1).max(35) }),
  // A published flow carries computed totals; a PSP's create request only the declared ones.
  totPayments: z.number().int().min(0).optional(),
  sumPayments: z.number().optional(),
  computedTotPayments: z.number().int().min(0).optional(),
  computedSumPayments: z.number().optional(),
});
const pageSchema = z.object({ pageNumber: z.number().int(), totPage: z.number().int() });
const listSchema = z.object({
  metadata: pageSchema.optional(),
  data: z.array(
    z.object({
      fdr: z.string().min(1).max(35),
      pspId: z.string().min(1),
      revision: z.number().int().min(1),
      flowDate: instant.optional(),
    }),
  ),
});
const paymentsPageSchema = z.object({ metadata: pageSchema.optional(), data: z.array(paymentSchema) });
const paymentsBodySchema = z.object({ payments: z.array(paymentSchema) });
const wrapperSchema = z.object({ payload: z.string().min(1), encoding: z.literal("base64") });

function fail(what: string, error: z.ZodError): never {
  const issue = error.issues[0]!;
  throw new ReportingFormatError(`${what}: field ${issue.path.join(".") || "(root)"}: ${issue.message}`);
}

export function paymentsToRows(payments: Array<z.infer<typeof paymentSchema>>): ReportingRowData[] {
  const seen = new Set<number>();
  return payments.map((p) => {
    if (seen.has(p.index)) throw new ReportingFormatError(`payment index ${p.index} appears twice`);
    seen.add(p.index);
    return {
      position: p.index,
      iuv: p.iuv,
      iur: p.iur,
      transferIndex: p.idTransfer,
      amountCents: euroNumberToCents(p.pay, `payment ${p.index} pay`),
      outcomeCode: OUTCOME_CODES[p.payStatus],
      outcomeDate: romeDay(p.payDate),
    };
  });
}

function toHeader(h: z.infer<typeof headerSchema>): ReportingFlowHeader {
  const count = h.computedTotPayments ?? h.totPayments;
  const sum = h.computedSumPayments ?? h.sumPayments;
  if (count === undefined || sum === undefined) throw new ReportingFormatError("flow without payment totals");
  return {
    format: "FDR3",
    flowId: h.fdr,
    pspId: h.sender.pspId,
    revision: h.revision,
    flowDate: h.fdrDate,
    settlementId: h.regulation,
    settlementDate: h.regulationDate,
    receiverFiscalCode: h.receiver.organizationId,
    declaredCount: count,
    declaredTotalCents: euroNumberToCents(sum, "sumPayments"),
  };
}

/**
 * Reads an FdR 3 JSON document, recognising which one it is by its shape: a whole flow with its
 * payments (as FdR 3 stores it, plain, gzip, or base64-gzip wrapped), a flow's header (GET
 * .../psps/{pspId}), a page of payments, a PSP's payments body, or the list of published flows.
 */
export function readFdr3Json(input: string | Buffer): ReportingDocument {
  const raw = Buffer.isBuffer(input) && input[0] === 0x1f && input[1] === 0x8b ? gunzipSync(input) : input;
  let json: unknown;
  try {
    json = JSON.parse(raw.toString());
  } catch {
    throw new ReportingFormatError("not well-formed JSON");
  }
  if (typeof json !== "object" || json === null || Array.isArray(json))
    throw new ReportingFormatError("not a JSON object");
  const placeholder = placeholderIn(JSON.stringify(json));
  if (placeholder) throw new ReportingFormatError(`a template, not a flow: placeholder ${placeholder}`);
  const o = json as Record<string, unknown>;
  if ("payload" in o) {
    const w = wrapperSchema.safeParse(o);
    if (!w.success) fail("FdR 3 message wrapper", w.error);
    return readFdr3Json(Buffer.from(w.data.payload, "base64"));
  }
  if ("fdr" in o) {
    const h = headerSchema.safeParse(o);
    if (!h.success) fail("FdR 3 flow", h.error);
    const header = toHeader(h.data);
    if (!("payments" in o)) return { kind: "flow-header", header };
    const p = paymentsBodySchema.safeParse(o);
    if (!p.success) fail("FdR 3 flow payments", p.error);
    const rows = paymentsToRows(p.data.payments);
    const total = rows.reduce((s, r) => s + r.amountCents, 0);
    const warnings =
      header.declaredCount !== rows.length || header.declaredTotalCents !== total
        ? [
            `declared ${header.declaredCount} payments for ${header.declaredTotalCents} cents, rows are ${rows.length} for ${total} cents`,
          ]
        : [];
    return { kind: "flow", flow: { ...header, rows, warnings } };
  }
  if ("payments" in o) {
    const p = paymentsBodySchema.safeParse(o);
    if (!p.success) fail("FdR 3 payments", p.error);
    return { kind: "payments", rows: paymentsToRows(p.data.payments), page: null };
  }
  if ("data" in o) {
    const first = (o.data as Array<Record<string, unknown>> | undefined)?.[0];
    if (first && "iuv" in first) {
      const p = paymentsPageSchema.safeParse(o);
      if (!p.success) fail("FdR 3 payments page", p.error);
      const page = p.data.metadata ? { number: p.data.metadata.pageNumber, total: p.data.metadata.totPage } : null;
      return { kind: "payments", rows: paymentsToRows(p.data.data), page };
    }
    const l = listSchema.safeParse(o);
    if (!l.success) fail("FdR 3 list of flows", l.error);
    return {
      kind: "flow-list",
      flows: l.data.data.map((f) => ({
        flowId: f.fdr,
        pspId: f.pspId,
        revision: f.revision,
        flowDate: f.flowDate ?? null,
      })),
    };
  }
  throw new ReportingFormatError(`not an FdR 3 document (keys: ${Object.keys(o).slice(0, 5).join(", ")})`);
}
