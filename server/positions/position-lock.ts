import type { Tx } from "../platform/db/database.ts";
import { AppError } from "../platform/errors.ts";

/**
 * Locks a position row (the activation takes the same lock first, so a PSP's getPayment racing a
 * change waits and then sees it) and reads its options. Refuses while a PSP holds an activation.
 * @throws AppError NOT_FOUND, POSITION_LOCKED (409, with until when)
 */
export async function lockPositionForChange(tx: Tx, tenantId: string, positionId: string, now: Date) {
  const locked = await tx.$queryRaw<Array<{ status: string; iupd: string; external_id: string | null }>>`
    SELECT status::text, iupd, external_id FROM debt_positions WHERE tenant_id = ${tenantId}::uuid AND id = ${positionId}::uuid FOR UPDATE`;
  if (locked.length === 0) throw new AppError("NOT_FOUND", "Posizione non trovata", 404);
  const options = await tx.paymentOption.findMany({
    where: { tenantId, positionId },
    include: { transfers: { orderBy: { index: "asc" } } },
    orderBy: [{ kind: "asc" }, { installmentNumber: "asc" }],
  });
  const held = options.filter((o) => o.status === "UNPAID" && o.lockedUntil && o.lockedUntil > now);
  if (held.length) {
    const until = new Date(Math.max(...held.map((o) => o.lockedUntil!.getTime())));
    throw new AppError(
      "POSITION_LOCKED",
      `Un pagamento dell'avviso ${held[0]!.nav} è in corso presso un prestatore (attivazione valida fino a ${until.toISOString()}): riprova dopo`,
      409,
      { lockedUntil: until.toISOString(), navs: held.map((o) => o.nav) },
    );
  }
  const row = locked[0]!;
  return { status: row.status, iupd: row.iupd, externalId: row.external_id, options };
}
