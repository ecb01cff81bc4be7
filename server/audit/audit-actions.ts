/**
 * Every action the audit log records, in one place: `recordAudit` accepts only these, and the
 * back-office's Italian labels (web/shared/view-engine.ts) are checked against this list.
 */
export const AUDIT_ACTIONS = [
  "position.create",
  "position.cancel",
  "position.update",
  "import.upload",
  "position.mark-paid",
  "receipt.register",
  "helpdesk.read",
  "helpdesk.overview",
  "payment-type.created",
  "payment-type.updated",
  "creditor-account.added",
  "creditor-account.closed",
  "membership.restrict",
  "staff.invite",
  "staff.role",
  "staff.remove",
  "tenant.create",
  "tenant.update",
  "tenant.identity-groups",
  "tenant.go-live-scheduled",
  "tenant.go-live",
  "tenant.go-live-cancelled",
  "tenant.go-live-reverted",
  "station.update",
  "webhook.create",
  "webhook.rotate-secret",
  "webhook.pause",
  "webhook.resume",
  "webhook.replay",
  "treasury.manual-match",
  "treasury.manual-unmatch",
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];
