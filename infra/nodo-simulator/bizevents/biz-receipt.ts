import { romeLocalDateTime, type ReceiptInput } from "../station-client.ts";

const euros = (cents: number) => cents / 100;

/**
 * The receipt of a payment as pagoPA's biz-events service answers it to the council
 * (biz_events.json, CtReceiptModelResponse): amounts in euro as numbers, times in Rome local
 * time without an offset, the same data the paSendRTV2 receipt carried.
 */
export function bizReceipt(r: ReceiptInput): Record<string, unknown> {
  const local = romeLocalDateTime(r.paidAt);
  return {
    receiptId: r.receiptId,
    noticeNumber: r.nav,
    fiscalCode: r.idPA,
    outcome: "OK",
    creditorReferenceId: r.iuv,
    paymentAmount: euros(r.amountCents),
    description: r.description.slice(0, 140),
    companyName: r.companyName,
    debtor: {
      entityUniqueIdentifierType: r.debtor.type,
      entityUniqueIdentifierValue: r.debtor.value,
      fullName: r.debtor.fullName,
    },
    transferList: r.transfers.map((t) => ({
      idTransfer: Number(t.idTransfer),
      transferAmount: Number(t.transferAmount),
      fiscalCodePA: t.fiscalCodePA,
      // The document requires both; the one that does not apply is empty.
      iban: t.IBAN ?? "",
      mbdAttachment: t.IBAN
        ? ""
        : Buffer.from(
            `<marcaDaBollo><hash>${t.richiestaMarcaDaBollo?.hashDocumento ?? ""}</hash></marcaDaBollo>`,
          ).toString("base64"),
      remittanceInformation: t.remittanceInformation,
      transferCategory: t.transferCategory,
    })),
    idPSP: r.psp.idPSP,
    pspFiscalCode: r.psp.fiscalCode,
    pspCompanyName: r.psp.name,
    idChannel: r.psp.idChannel,
    paymentMethod: "PO",
    fee: euros(r.psp.feeCents),
    paymentDateTime: local.slice(0, 10),
    paymentDateTimeFormatted: local,
    applicationDate: local.slice(0, 10),
    transferDate: local.slice(0, 10),
    metadata: [],
  };
}
