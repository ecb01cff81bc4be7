import type { Tx } from "../platform/db/database.ts";

/**
 * The position a council's file means by its own key: the external id, else one of the keys an
 * import recorded (`data.importKeys`: every idPendenza of a GovPay document grouped into one
 * position; GIN index debt_positions_import_keys). `importId` says which import created it, so a
 * key repeated within one file is told apart from a later file updating it.
 */
export async function findPositionByKeys(
  tx: Tx,
  tenantId: string,
  keys: string[],
): Promise<{ id: string; status: string; importId: string | null } | null> {
  const wanted = keys.filter(Boolean);
  if (wanted.length === 0) return null;
  const rows = await tx.$queryRaw<Array<{ id: string; status: string; import_id: string | null }>>`
    SELECT id::text, status::text, data->>'importId' AS import_id FROM debt_positions
    WHERE tenant_id = ${tenantId}::uuid AND external_id = ANY(${wanted}::text[])
    UNION ALL
    SELECT id::text, status::text, data->>'importId' FROM debt_positions
    WHERE tenant_id = ${tenantId}::uuid AND data ? 'importKeys' AND (data -> 'importKeys') ?| ${wanted}::text[]
    LIMIT 1`;
  const row = rows[0];
  return row ? { id: row.id, status: row.status, importId: row.import_id } : null;
}
