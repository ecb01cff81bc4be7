export { recordAudit, auditCall, type Actor, type AuditEntry } from "./record-audit.ts";
