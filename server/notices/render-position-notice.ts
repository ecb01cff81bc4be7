import type { Database } from "../platform/db/database.ts";
import type { PdfRenderer } from "../platform/pdf/index.ts";
import { AppError } from "../platform/errors.ts";
import { noticeFileName } from "./notice-file-names.ts";
import { loadNoticeSources, loadPrintableNoticeTenant } from "./notice-print.repository.ts";
import { buildNoticeView } from "./notice-view.ts";
import { printNotices } from "./print-notices.ts";

/** What the notice use cases need. */
export interface NoticeDeps {
  db: Database;
  pdf: PdfRenderer;
}

export interface RenderedNotice {
  fileName: string;
  pdf: Buffer;
  pageCount: number;
  /** Notice numbers printed (the single option first, then installments). */
  navs: string[];
}

const SKIP_ERRORS = {
  // Shown to citizens and clerks as they are: Italian.
  NOT_FOUND: () => new AppError("NOT_FOUND", "Posizione non trovata", 404),
  NOT_PRINTABLE: () =>
    new AppError(
      "NOTICE_NOT_PRINTABLE",
      "L'avviso non è disponibile: la posizione non è pubblicata, è annullata o è scaduta",
      409,
    ),
  NOTHING_TO_PAY: () =>
    new AppError("NOTICE_NOTHING_TO_PAY", "L'avviso non è disponibile: non resta nulla da pagare", 409),
} as const;

/**
 * The pagoPA payment notice of one position as a PDF (`avviso-<NAV>-<ipa>.pdf`), with the
 * options still to be paid. Reads run in the tenant's scope (row-level security), so a
 * position of another council is simply not found. Access checks belong to the caller.
 * @throws AppError NOT_FOUND | NOTICE_NOT_PRINTABLE | NOTICE_NOTHING_TO_PAY | PDF_*
 */
export async function renderPositionNotice(
  deps: NoticeDeps,
  tenantId: string,
  positionId: string,
): Promise<RenderedNotice> {
  const { tenant, source } = await deps.db.withTenant(tenantId, async (tx) => ({
    tenant: await loadPrintableNoticeTenant(tx, tenantId),
    source: (await loadNoticeSources(tx, tenantId, [positionId]))[0]!,
  }));
  if (!tenant) throw new AppError("NOT_FOUND", "Tenant not found", 404);
  if (!source.ok) throw SKIP_ERRORS[source.reason]();
  const view = await buildNoticeView(tenant, source.position);
  // What a citizen downloads is tagged, so screen readers can read it.
  const printed = await printNotices(deps.pdf, [view], { tagged: true });
  return {
    fileName: noticeFileName(view.navs[0]!, tenant.ipaCode),
    pdf: printed.pdf,
    pageCount: printed.pageCount,
    navs: view.navs,
  };
}
