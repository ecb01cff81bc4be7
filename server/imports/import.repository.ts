import { z } from "zod";
import { rawExecute, rawQuery, type AnyTx } from "../platform/db/raw-sql.ts";
import { insertUnnest } from "../platform/db/insert-unnest.ts";
import type { RowOutcome } from "./apply-record.ts";

const defaultTransfersSchema = z.array(
  z.object({
    accountIban: z.string(),
    beneficiaryFiscalCode: z.string().optional(),
    taxonomyCode: z.string().optional(),
    shareBasisPoints: z.number().int(),
  }),
);

export interface ImportPaymentType {
  code: string;
  active: boolean;
  taxonomyCode: string;
  defaults: z.infer<typeof defaultTransfersSchema>;
  postalIbans: Set<string>;
}

/**
 * A payment type as an import uses it: its taxonomy and default accounts (for rows that name no
 * IBAN, as MyPay's never do for the council's own share). Files may load any active type, also
 * one not offered at the counter or on the portal: the council's own system decided the debt.
 */
export async function loadPaymentTypeForImport(
  tx: AnyTx,
  tenantId: string,
  code: string,
): Promise<ImportPaymentType | null> {
  if (!code) return null;
  return (await loadPaymentTypesForImport(tx, tenantId, [code])).get(code) ?? null;
}

/** Several payment types in two queries (a chunk's codes), by code; unknown codes are absent. */
export async function loadPaymentTypesForImport(
  tx: AnyTx,
  tenantId: string,
  codes: string[],
): Promise<Map<string, ImportPaymentType>> {
  const wanted = [...new Set(codes.filter(Boolean))];
  const out = new Map<string, ImportPaymentType>();
  if (wanted.length === 0) return out;
  const types = await rawQuery<{
    code: string;
    active: boolean;
    published: boolean;
    taxonomy_code: string;
    defaults: unknown;
  }>(
    tx,
    `SELECT code, active, status = 'PUBLISHED' AS published, taxonomy_code, default_transfers AS defaults
     FROM payment_types WHERE tenant_id = $1::uuid AND code = ANY($2::text[])`,
    [tenantId, wanted],
  );
  if (types.length === 0) return out;
  const postal = await rawQuery<{ iban: string }>(
    tx,
    "SELECT iban FROM creditor_accounts WHERE tenant_id = $1::uuid AND is_postal",
    [tenantId],
  );
  const postalIbans = new Set(postal.map((a) => a.iban));
  for (const type of types) {
    const defaults = defaultTransfersSchema.safeParse(type.defaults);
    out.set(type.code, {
      code: type.code,
      active: type.active && type.published,
      taxonomyCode: type.taxonomy_code,
      defaults: defaults.success ? defaults.data : [],
      postalIbans,
    });
  }
  return out;
}

const ROW_COLUMNS = [
  ["tenant_id", "uuid"],
  ["import_id", "uuid"],
  ["row_number", "integer"],
  ["outcome", '"import_row_outcome"'],
  ["action", "text"],
  ["key", "text"],
  ["position_id", "uuid"],
  ["nav", "text"],
  ["iuv", "text"],
  ["error_code", "text"],
  ["column", "text"],
  ["message", "text"],
  ["echo", "jsonb"],
] as const;

/** Writes a chunk's outcomes in one INSERT … SELECT FROM unnest. */
export async function insertRowOutcomes(
  tx: AnyTx,
  tenantId: string,
  importId: string,
  rows: RowOutcome[],
): Promise<void> {
  await insertUnnest(
    tx,
    "import_rows",
    ROW_COLUMNS,
    rows.map((r) => [
      tenantId,
      importId,
      r.rowNumber,
      r.outcome,
      r.action,
      r.key?.slice(0, 64) ?? null,
      r.positionId ?? null,
      r.nav ?? null,
      r.iuv ?? null,
      r.issue?.code.slice(0, 32) ?? null,
      r.issue?.column?.slice(0, 64) ?? null,
      r.issue?.message.slice(0, 1000) ?? null,
      r.echo ?? null,
    ]),
  );
}

/**
 * Moves the checkpoint from `from` to `to` and adds the chunk's counts, only if nobody moved it
 * meanwhile: two workers on one import (a stalled job handed out again while the first still
 * runs) cannot both commit the same chunk; the loser's transaction rolls back.
 */
export async function advanceCheckpoint(
  tx: AnyTx,
  tenantId: string,
  importId: string,
  from: number,
  to: number,
  accepted: number,
  rejected: number,
): Promise<boolean> {
  const moved = await rawQuery(
    tx,
    `UPDATE import_files SET checkpoint_row = $4, accepted = accepted + $5, rejected = rejected + $6
     WHERE tenant_id = $1::uuid AND id = $2::uuid AND checkpoint_row = $3 AND status = 'RUNNING' RETURNING id`,
    [tenantId, importId, from, to, accepted, rejected],
  );
  return moved.length === 1;
}

/**
 * Records the keys a record answers to besides its external id (every idPendenza of a GovPay
 * document grouped into one position), so a later file naming any of them finds the position by
 * primary key. A key already recorded keeps its position (an update re-sends the same keys).
 */
export async function recordImportKeys(
  tx: AnyTx,
  tenantId: string,
  entries: Array<{ positionId: string; key: string; altKeys?: string[] }>,
): Promise<void> {
  const keys: string[] = [];
  const positions: string[] = [];
  for (const e of entries)
    for (const k of e.altKeys ?? [])
      if (k && k !== e.key && k.length <= 64) {
        keys.push(k);
        positions.push(e.positionId);
      }
  if (keys.length === 0) return;
  await rawExecute(
    tx,
    `INSERT INTO position_import_keys (tenant_id, key, position_id)
     SELECT $1::uuid, k, p FROM unnest($2::text[], $3::uuid[]) AS t(k, p)
     ON CONFLICT (tenant_id, key) DO NOTHING`,
    [tenantId, keys, positions],
  );
}

/** The keys of a batch's created positions, for `recordImportKeys`. */
export function acceptedKeys(
  records: Array<{ key: string; altKeys?: string[] }>,
  results: Array<{ ok: true; position: { id: string } } | { ok: false }>,
) {
  return records.flatMap((r, i) => {
    const result = results[i];
    return result?.ok && r.altKeys?.length ? [{ positionId: result.position.id, key: r.key, altKeys: r.altKeys }] : [];
  });
}
