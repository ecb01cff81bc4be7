import type { Database } from "../platform/db/database.ts";
import type { PdfRenderer } from "../platform/pdf/index.ts";
import { AppError } from "../platform/errors.ts";
import { safeFilePart } from "../notices/notice-file-names.ts";
import { buildReceiptView, renderReceiptDocument } from "./receipt-document.ts";
import { beneficiaryNames, findStoredReceipt } from "./receipt.repository.ts";

export interface ReceiptPdfDeps {
  db: Database;
  pdf: PdfRenderer;
}

export interface RenderedReceipt {
  fileName: string;
  pdf: Buffer;
  receiptId: string;
}

/**
 * The receipt of a payment as a PDF (`ricevuta-<receiptId>-<ipa>.pdf`): payer, debtor, council,
 * PSP, date and time in Rome, amount, fee and every transfer with its beneficiary. Read in the
 * tenant's scope, so another council's receipt is not found. Access checks belong to the caller.
 * @throws AppError NOT_FOUND | RECEIPT_NOT_PAID (a negative outcome has nothing to certify) | PDF_*
 */
export async function renderReceiptPdf(
  deps: ReceiptPdfDeps,
  tenantId: string,
  id: string,
  now = new Date(),
): Promise<RenderedReceipt> {
  const found = await deps.db.withTenant(tenantId, async (tx) => {
    const receipt = await findStoredReceipt(tx, tenantId, id);
    if (!receipt) return null;
    const tenant = await tx.tenant.findUniqueOrThrow({
      where: { id: tenantId },
      select: { name: true, fiscalCode: true, ipaCode: true },
    });
    const codes = Array.isArray(receipt.transfers)
      ? receipt.transfers.map((t: { fiscalCodePA?: unknown }) => String(t?.fiscalCodePA ?? ""))
      : [];
    return { receipt, tenant, names: await beneficiaryNames(tx, codes) };
  });
  if (!found) throw new AppError("NOT_FOUND", "Receipt not found", 404);
  const { receipt, tenant, names } = found;
  if (receipt.outcome !== "OK")
    throw new AppError("RECEIPT_NOT_PAID", "The receipt records a payment that did not take place", 409);
  const view = buildReceiptView(receipt, { name: tenant.name, fiscalCode: tenant.fiscalCode }, names, now);
  const pdf = await deps.pdf.render(renderReceiptDocument(view));
  return {
    fileName: `ricevuta-${safeFilePart(receipt.receiptId)}-${safeFilePart(tenant.ipaCode)}.pdf`,
    pdf,
    receiptId: receipt.receiptId,
  };
}

const TOKEN = /^[\w-]{32,64}$/;

/**
 * The receipt PDF behind a payer's unguessable link. The token is the access check: the lookup
 * runs in platform scope with the token as its only filter, the rendering in the receipt's tenant.
 * @throws AppError NOT_FOUND | RECEIPT_NOT_PAID | PDF_*
 */
export async function renderReceiptPdfByAccessToken(deps: ReceiptPdfDeps, token: string): Promise<RenderedReceipt> {
  const found = TOKEN.test(token)
    ? await deps.db.withPlatformScope("citizen receipt PDF by access token", (tx) =>
        tx.receipt.findUnique({ where: { accessToken: token }, select: { id: true, tenantId: true } }),
      )
    : null;
  if (!found) throw new AppError("NOT_FOUND", "Receipt not found", 404);
  return renderReceiptPdf(deps, found.tenantId, found.id);
}

/**
 * The receipt PDF by the Nodo's receiptId (what council systems know), in the tenant's scope.
 * @throws AppError NOT_FOUND | RECEIPT_NOT_PAID | PDF_*
 */
export async function renderReceiptPdfByReceiptId(
  deps: ReceiptPdfDeps,
  tenantId: string,
  receiptId: string,
): Promise<RenderedReceipt> {
  const found =
    receiptId.length >= 1 && receiptId.length <= 35
      ? await deps.db.withTenant(tenantId, (tx) =>
          tx.receipt.findUnique({ where: { tenantId_receiptId: { tenantId, receiptId } }, select: { id: true } }),
        )
      : null;
  if (!found) throw new AppError("NOT_FOUND", "Receipt not found", 404);
  return renderReceiptPdf(deps, tenantId, found.id);
}
