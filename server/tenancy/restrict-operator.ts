import { z } from "zod";
import type { Database } from "../platform/db/database.ts";
import { AppError } from "../platform/errors.ts";
import { recordAudit, type Actor } from "../audit/index.ts";

const input = z.object({
  membershipId: z.uuid(),
  paymentTypeCodes: z.array(z.string().regex(/^[A-Z0-9_]{2,35}$/)).max(200),
});

/**
 * The council's admin limits an operator to some payment types at the counter (none chosen:
 * every type). Codes must be the council's own. Audited.
 * @throws AppError NOT_FOUND, PAYMENT_TYPE_UNKNOWN
 */
export async function restrictOperator(
  db: Database,
  tenantId: string,
  membershipId: string,
  paymentTypeCodes: string[],
  actor: Actor,
): Promise<void> {
  const parsed = input.safeParse({ membershipId, paymentTypeCodes });
  if (!parsed.success) throw new AppError("NOT_FOUND", "Membro del personale non trovato", 404);
  await db.withTenant(tenantId, async (tx) => {
    const membership = await tx.membership.findFirst({ where: { tenantId, id: membershipId, role: "OPERATOR" } });
    if (!membership) throw new AppError("NOT_FOUND", "Operatore non trovato", 404);
    const known = await tx.paymentType.count({ where: { tenantId, code: { in: parsed.data.paymentTypeCodes } } });
    if (known !== new Set(parsed.data.paymentTypeCodes).size)
      throw new AppError("PAYMENT_TYPE_UNKNOWN", "Tipo di pagamento sconosciuto", 422);
    await tx.membership.update({
      where: { id: membership.id },
      data: { paymentTypeCodes: parsed.data.paymentTypeCodes },
    });
    await recordAudit(tx, {
      tenantId,
      actor,
      action: "membership.restrict",
      entityType: "Membership",
      entityId: membership.id,
      before: { paymentTypeCodes: membership.paymentTypeCodes },
      after: { paymentTypeCodes: parsed.data.paymentTypeCodes },
    });
  });
}
