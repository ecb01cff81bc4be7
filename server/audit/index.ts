export { AUDIT_ACTIONS, type AuditAction } from "./audit-actions.ts";
export { recordAudit, auditCall, type Actor, type AuditEntry } from "./record-audit.ts";
