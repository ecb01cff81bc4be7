export { recordAudit, type Actor, type AuditEntry } from "./record-audit.ts";
