import { buildNav, MAX_IUV_BASE, type Iuv, type Nav } from "../pagopa/index.ts";
import { AppError } from "../platform/errors.ts";
import type { Tx } from "../platform/db/database.ts";

export interface TenantNumbering {
  id: string;
  segregationCode: string;
  auxDigit: number;
}

/**
 * Reserves `count` consecutive IUV bases for the tenant and returns their NAV/IUV pairs.
 * The reservation is one `INSERT … ON CONFLICT DO UPDATE … RETURNING` on the tenant's sequence
 * row: PostgreSQL serialises concurrent callers on that row, so no two callers (in any process)
 * ever get the same base. The reservation belongs to the caller's transaction: if that rolls
 * back, no position kept the numbers and the bases are handed out again, so no gaps either.
 */
export async function allocateNoticeNumbers(
  tx: Tx,
  tenant: TenantNumbering,
  count: number,
): Promise<Array<{ nav: Nav; iuv: Iuv }>> {
  if (!Number.isInteger(count) || count < 1 || count > 10_000) {
    throw new AppError("NAV_ALLOCATION_COUNT", `Cannot allocate ${count} notice numbers`, 400);
  }
  if (tenant.auxDigit !== 3) throw new AppError("AUX_DIGIT_UNSUPPORTED", "Only aux digit 3 is supported", 500);
  const rows = await tx.$queryRaw<Array<{ next_value: bigint }>>`
    INSERT INTO iuv_sequences (tenant_id, next_value, updated_at)
    VALUES (${tenant.id}::uuid, ${1 + count}, now())
    ON CONFLICT (tenant_id)
    DO UPDATE SET next_value = iuv_sequences.next_value + ${count}, updated_at = now()
    RETURNING next_value`;
  const next = rows[0]?.next_value;
  if (next === undefined) throw new AppError("NAV_ALLOCATION_FAILED", "IUV sequence did not answer", 500);
  const first = BigInt(next) - BigInt(count);
  if (first + BigInt(count) - 1n > MAX_IUV_BASE) {
    throw new AppError("IUV_SEQUENCE_EXHAUSTED", "The tenant's IUV sequence is exhausted", 500);
  }
  return Array.from({ length: count }, (_, i) =>
    buildNav({ auxDigit: 3, segregationCode: tenant.segregationCode, iuvBase: first + BigInt(i) }),
  );
}
