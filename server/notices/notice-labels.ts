/**
 * The fixed texts of a notice. Italian follows the wording of pagoPA notices (guide 3.5.1),
 * including the texts the guide says not to alter; German is used when the council prints
 * bilingual notices (branding.secondLanguage = "de"), in the pagoPA translation's terms.
 */
export const NOTICE_TEXTS = {
  title: { it: "AVVISO DI PAGAMENTO", de: "ZAHLUNGSMITTEILUNG" },
  creditor: { it: "ENTE CREDITORE", de: "KÖRPERSCHAFT" },
  recipient: { it: "DESTINATARIO AVVISO", de: "EMPFÄNGER" },
  howMuch: { it: "QUANTO E QUANDO PAGARE?", de: "WIEVIEL UND WANN BEZAHLEN?" },
  where: { it: "DOVE PAGARE?", de: "WO BEZAHLEN?" },
  paymentData: { it: "DATI PER IL PAGAMENTO", de: "ZAHLUNGSINFORMATIONEN" },
  fiscalCode: { it: "Codice Fiscale", de: "Steuernummer" },
  by: { it: "entro il", de: "fällig am" },
  euro: { it: "Euro", de: "Euro" },
  firstInstallmentBy: { it: "in {n} rate, la prima entro il", de: "in {n} Raten, die erste fällig am" },
  single: { it: "Rata unica", de: "Einzige Rate" },
  installment: { it: "Rata", de: "Rate" },
  of: { it: "di", de: "von" },
  recipientShort: { it: "Destinatario", de: "Empfänger" },
  creditorShort: { it: "Ente Creditore", de: "Körperschaft" },
  subject: { it: "Oggetto del pagamento", de: "Zahlungsgrund" },
  noticeCode: { it: "Codice Avviso", de: "Zahlungsmitteilungskodex" },
  creditorFiscalCode: { it: "Cod. Fiscale Ente Creditore", de: "St.Nr. der Körperschaft" },
  cbill: { it: "Codice CBILL", de: "CBILL-Kodex" },
  qrSingle: {
    it: "Inquadra il codice QR con la tua app di pagamento o usa i dati accanto.",
    de: "Den QR-Code mit der Zahlungs-App scannen oder folgende Daten verwenden.",
  },
  qrInstallments: {
    it: "Inquadra il codice QR con la tua app di pagamento o usa i dati sotto.",
    de: "Den QR-Code mit der Zahlungs-App scannen oder die Daten unten verwenden.",
  },
  useYourPortion: {
    it: "Utilizza la porzione di avviso relativa alla rata che stai pagando.",
    de: "Den Abschnitt der Rate verwenden, die bezahlt wird.",
  },
  singleOrInstallments: {
    it: "Puoi pagare in un'unica soluzione oppure a rate.",
    de: "Es ist möglich, den Betrag vollständig oder in Raten zu zahlen.",
  },
  installmentsOnly: { it: "Puoi pagare a rate.", de: "Es ist möglich, den Betrag in Raten zu zahlen." },
  installmentsFollow: {
    it: "Trovi il dettaglio di ogni rata, con importo e scadenza, nelle pagine seguenti.",
    de: "Die Beträge und Fälligkeiten sind in den Details der einzelnen Raten auf den folgenden Seiten angegeben.",
  },
  amountNote: {
    it: "L'importo è aggiornato automaticamente dal sistema e potrebbe subire variazioni per eventuali sgravi, note di credito, indennità di mora, sanzioni o interessi, ecc. Un operatore, il sito o l'app che userai ti potrebbero quindi chiedere una cifra diversa da quella qui indicata.",
    de: "Der angeführte Betrag könnte sich auf Grund von allfälligen Annullierungen, Gutschriften, Verzugsgebühren, Strafen oder Zinsen ändern.",
  },
  payOnline: { it: "PAGA CON L'APP IO", de: "ONLINE" },
  payOnlineText: {
    it: "oppure dal tuo Home Banking, con la tua app di pagamento o con gli altri canali abilitati.",
    de: "mit der App IO, mittels Home Banking, einer Zahlungsapp oder anderer zugelassener Zahlungsdienstleister.",
  },
  payLocal: { it: "PAGA SUL TERRITORIO", de: "IN IHRER UMGEBUNG" },
  payLocalText: {
    it: "presso Banche e Sportelli ATM, negli Uffici Postali e Punti Postali, nei Bar, Edicole, Ricevitorie, Supermercati, Tabaccherie e altri Esercenti Convenzionati.",
    de: "bei Banken und ATM-Schaltern, in Postämtern und Poststellen, Tabaktrafiken und anderen angebundenen Dienstleistern.",
  },
  channelList: {
    it: "Lista dei canali di pagamento su www.pagopa.gov.it",
    de: "Liste der Zahlungsdienstleister: www.pagopa.gov.it",
  },
  postalTitle: { it: "BOLLETTINO POSTALE PA", de: "POSTERLAGSCHEIN PA" },
  postalAccount: { it: "sul C/C n.", de: "auf K/K Nr." },
  postalHolder: { it: "Intestato a", de: "Lautend auf" },
  postalType: { it: "Tipo", de: "Typ" },
} as const;

export type NoticeTextKey = keyof typeof NOTICE_TEXTS;

/** One label in the notice's language(s): Italian always, the second language when chosen. */
export interface Label {
  it: string;
  second: string | null;
}

export function labelsFor(secondLanguage: "de" | null): Record<NoticeTextKey, Label> {
  const out = {} as Record<NoticeTextKey, Label>;
  for (const [key, text] of Object.entries(NOTICE_TEXTS) as Array<[NoticeTextKey, { it: string; de: string }]>) {
    out[key] = { it: text.it, second: secondLanguage ? text[secondLanguage] : null };
  }
  return out;
}
