// Self-healing receipts: receipts the Nodo never delivered, fetched from pagoPA's archive.
export type { ReceiptArchive, ReceiptLookup } from "./receipt-archive.ts";
export { runReceiptRecovery, type ReceiptRecoveryOptions, type RecoverySummary } from "./run-receipt-recovery.ts";
export { backoffMs, type RecoveryOutcome } from "./recover-receipt.ts";
