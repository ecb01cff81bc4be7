export { AUDIT_ACTIONS, type AuditAction } from "./audit-actions.ts";
export { recordAudit, recordAuditMany, auditCall, type Actor, type AuditEntry } from "./record-audit.ts";
export { listAuditEntries, auditQuerySchema, AUDIT_PAGE_SIZE, type AuditQuery } from "./list-audit-entries.ts";
