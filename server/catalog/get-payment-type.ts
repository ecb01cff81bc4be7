import type { Database } from "../platform/db/database.ts";
import type { PaymentType } from "../generated/prisma/client.ts";
import { AppError } from "../platform/errors.ts";

/**
 * One of a council's payment types by its code, for the editor.
 * @throws AppError NOT_FOUND
 */
export async function getPaymentType(db: Database, tenantId: string, code: string): Promise<PaymentType> {
  const type = await db.withTenant(tenantId, (tx) => tx.paymentType.findFirst({ where: { tenantId, code } }));
  if (!type) throw new AppError("NOT_FOUND", "Tipo di pagamento non trovato", 404);
  return type;
}
