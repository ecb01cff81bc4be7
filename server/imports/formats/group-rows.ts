/**
 * Groups consecutive items sharing a non-empty key (a GovPay idDocumento, a native id_esterno
 * with installments). Only consecutive rows group, so a reader keeps one group in memory at a
 * time however long the file is; a group is bounded by `max` (a pagoPA position has at most
 * one single payment and 60 installments here).
 */
export async function* groupConsecutive<T>(
  items: AsyncIterable<T>,
  keyOf: (item: T) => string | undefined,
  max = 61,
): AsyncGenerator<T[]> {
  let group: T[] = [];
  let current: string | undefined;
  for await (const item of items) {
    const key = keyOf(item);
    if (group.length > 0 && (!key || key !== current || group.length >= max)) {
      yield group;
      group = [];
    }
    group.push(item);
    current = key;
  }
  if (group.length > 0) yield group;
}

/**
 * Whether a group's installment labels make one position: at most one empty label (the single
 * payment) and the others exactly 1..N with N ≥ 2. Anything else (GovPay's SCONTATO/RIDOTTO,
 * ENTRO30/OLTRE30 thresholds, a lone installment) keeps one position per row.
 */
export function isInstallmentPlan(labels: string[]): boolean {
  const singles = labels.filter((l) => l.trim() === "").length;
  const numbers = labels.filter((l) => l.trim() !== "").map((l) => l.trim());
  if (singles > 1 || numbers.length < 2 || !numbers.every((n) => /^\d{1,2}$/.test(n))) return false;
  const sorted = numbers.map(Number).sort((a, b) => a - b);
  return sorted.every((n, i) => n === i + 1);
}
