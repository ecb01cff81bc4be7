import type { Tx } from "../platform/db/database.ts";

/**
 * Tokens the station made up itself (activatePaymentOption: "EC" + 32 hex) when the Nodo gave
 * none: they are not pagoPA's IUR, so the archive cannot be asked by them. Such a payment is
 * recovered when its reporting-flow row (which carries the IUR) arrives.
 */
const SELF_GENERATED = "^EC[0-9a-f]{32}$";

/**
 * Opens a recovery (PENDING, due now) for each receipt of the council that should exist and
 * does not: (a) an option activated (paGetPaymentV2 answered with the Nodo's payment token) `afterMs`
 * or more ago, still unpaid, with no receipt for its token; (b) an open "row without receipt" anomaly of
 * a reporting flow (pagoPA settled a payment we hold no receipt of). One row per IUV + IUR: an
 * already open or closed recovery is left alone. Runs in the caller's tenant scope (RLS).
 */
export async function findLostReceipts(
  tx: Tx,
  tenantId: string,
  options: { now: Date; afterMs: number; activationLockMs: number },
): Promise<number> {
  // locked_until = activation + lock duration, so "activated before now - afterMs" reads:
  const lockedBefore = new Date(options.now.getTime() - options.afterMs + options.activationLockMs);
  const activations = await tx.$executeRaw`
    INSERT INTO receipt_recoveries (id, tenant_id, iuv, iur, nav, source, next_attempt_at, updated_at)
    SELECT gen_random_uuid(), o.tenant_id, o.iuv, o.payment_token, o.nav, 'ACTIVATION', ${options.now}, now()
    FROM payment_options o
    WHERE o.tenant_id = ${tenantId}::uuid AND o.status = 'UNPAID' AND o.payment_token IS NOT NULL
      AND o.locked_until <= ${lockedBefore} AND o.payment_token !~ ${SELF_GENERATED}
      AND NOT EXISTS (SELECT 1 FROM receipts rc WHERE rc.tenant_id = o.tenant_id AND rc.receipt_id = o.payment_token)
    ON CONFLICT (tenant_id, iuv, iur) DO NOTHING`;
  const rows = await tx.$executeRaw`
    INSERT INTO receipt_recoveries (id, tenant_id, iuv, iur, nav, source, next_attempt_at, updated_at)
    SELECT DISTINCT ON (a.iuv, a.receipt_id) gen_random_uuid(), a.tenant_id, a.iuv, a.receipt_id, o.nav, 'FLOW_ROW', ${options.now}, now()
    FROM reconciliation_anomalies a
    LEFT JOIN payment_options o ON o.tenant_id = a.tenant_id AND o.iuv = a.iuv
    WHERE a.tenant_id = ${tenantId}::uuid AND a.kind = 'ROW_WITHOUT_RECEIPT' AND a.resolved_at IS NULL
      AND a.iuv IS NOT NULL AND a.receipt_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM receipts rc WHERE rc.tenant_id = a.tenant_id AND rc.iuv = a.iuv AND rc.receipt_id = a.receipt_id)
    ON CONFLICT (tenant_id, iuv, iur) DO NOTHING`;
  return activations + rows;
}
