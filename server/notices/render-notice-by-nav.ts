import { AppError } from "../platform/errors.ts";
import { renderPositionNotice, type NoticeDeps, type RenderedNotice } from "./render-position-notice.ts";

const NAV = /^\d{18}$/;

/**
 * The notice of the position a notice number belongs to (the citizen portal knows NAVs, not
 * position ids). Read in the tenant's scope; access checks belong to the caller.
 * @throws AppError NOT_FOUND | NOTICE_NOT_PRINTABLE | NOTICE_NOTHING_TO_PAY | PDF_*
 */
export async function renderNoticeByNav(deps: NoticeDeps, tenantId: string, nav: string): Promise<RenderedNotice> {
  const option = NAV.test(nav)
    ? await deps.db.withTenant(tenantId, (tx) =>
        tx.paymentOption.findFirst({ where: { tenantId, nav }, select: { positionId: true } }),
      )
    : null;
  if (!option) throw new AppError("NOT_FOUND", "Notice not found", 404);
  return renderPositionNotice(deps, tenantId, option.positionId);
}
