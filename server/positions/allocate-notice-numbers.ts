import { buildNav, iuvBasesOf, PERMUTED_DOMAIN, type Iuv, type Nav } from "../pagopa/index.ts";
import { AppError } from "../platform/errors.ts";
import { rawQuery, type AnyTx } from "../platform/db/raw-sql.ts";

export interface TenantNumbering {
  id: string;
  segregationCode: string;
  auxDigit: number;
}

/**
 * Reserves `count` consecutive values of the tenant's IUV counter and returns the NAV/IUV pairs
 * of their bases. The reservation is one `INSERT … ON CONFLICT DO UPDATE … RETURNING` on the
 * tenant's sequence row: PostgreSQL serialises concurrent callers on that row, so no two callers
 * (in any process) ever get the same counter value. The reservation belongs to the caller's
 * transaction: if that rolls back, the values are handed out again, so no gaps either.
 * Each counter value becomes its base through the tenant's keyed permutation
 * (pagopa/iuv-permutation.ts): unique because it is a bijection, unguessable without the secret,
 * so nobody can enumerate a council's notices from one number.
 */
export async function allocateNoticeNumbers(
  tx: AnyTx,
  tenant: TenantNumbering,
  count: number,
  permutationSecret: string,
): Promise<Array<{ nav: Nav; iuv: Iuv }>> {
  if (!Number.isInteger(count) || count < 1 || count > 10_000) {
    throw new AppError("NAV_ALLOCATION_COUNT", `Cannot allocate ${count} notice numbers`, 400);
  }
  if (tenant.auxDigit !== 3) throw new AppError("AUX_DIGIT_UNSUPPORTED", "Only aux digit 3 is supported", 500);
  const rows = await rawQuery<{ next_value: bigint | string }>(
    tx,
    `INSERT INTO iuv_sequences (tenant_id, next_value, updated_at)
     VALUES ($1::uuid, $2::bigint, now())
     ON CONFLICT (tenant_id)
     DO UPDATE SET next_value = iuv_sequences.next_value + $3::bigint, updated_at = now()
     RETURNING next_value`,
    [tenant.id, 1 + count, count],
  );
  const next = rows[0]?.next_value;
  if (next === undefined) throw new AppError("NAV_ALLOCATION_FAILED", "IUV sequence did not answer", 500);
  const first = BigInt(String(next)) - BigInt(count);
  if (first + BigInt(count) - 1n >= PERMUTED_DOMAIN) {
    throw new AppError("IUV_SEQUENCE_EXHAUSTED", "The tenant's IUV sequence is exhausted", 500);
  }
  const counters = Array.from({ length: count }, (_, i) => first + BigInt(i));
  return iuvBasesOf(permutationSecret, tenant.id, counters).map((iuvBase) =>
    buildNav({ auxDigit: 3, segregationCode: tenant.segregationCode, iuvBase }),
  );
}
