import type { Database } from "../../platform/db/database.ts";
import type { PayableNoticeTenant } from "../../positions/index.ts";
import { registerReceipt } from "../../positions/register-receipt.ts";

/**
 * Pays a one-transfer option of 10,00 € to the council's `iban` with a positive receipt, as the
 * Nodo would deliver it (follow-ups not queued): the paid position the isolation tests probe.
 */
export async function payOptionForTest(
  db: Database,
  tenant: PayableNoticeTenant,
  option: { nav: string; iuv: string },
  receiptId: string,
  iban: string,
): Promise<void> {
  await registerReceipt(
    db,
    tenant,
    {
      receiptId,
      nav: option.nav,
      noticeFiscalCode: tenant.fiscalCode,
      outcome: "OK",
      creditorReferenceId: option.iuv,
      amountCents: 1_000,
      pspId: "PSPTEST",
      standIn: false,
      transfers: [
        {
          index: 1,
          amountCents: 1_000,
          fiscalCodePA: tenant.fiscalCode,
          iban,
          remittanceText: "Pagata",
          category: "9/0101002IM/",
        },
      ],
    },
    async () => undefined,
  );
}
