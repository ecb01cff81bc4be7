// Builders of the SOAP requests the Nodo sends to a station, for the integration tests.
import { PA_FOR_NODE_NS, STATION_HEADER_NS } from "../../../nodo/station/envelope.ts";
import { escapeXml } from "../../../nodo/station/xml.ts";

export interface Routing {
  idPA: string;
  idBrokerPA: string;
  idStation: string;
}

const t = (name: string, value: string | number | boolean | undefined | null) =>
  value === undefined || value === null ? "" : `<${name}>${escapeXml(String(value))}</${name}>`;
const routingXml = (r: Routing) => t("idPA", r.idPA) + t("idBrokerPA", r.idBrokerPA) + t("idStation", r.idStation);

export function envelope(body: string, header = ""): string {
  return `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:pafn="${PA_FOR_NODE_NS}"><soapenv:Header>${header}</soapenv:Header><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;
}

export function verifyXml(r: Routing, nav: string, fiscalCode = r.idPA): string {
  return envelope(
    `<pafn:paVerifyPaymentNoticeReq>${routingXml(r)}<qrCode>${t("fiscalCode", fiscalCode)}${t("noticeNumber", nav)}</qrCode></pafn:paVerifyPaymentNoticeReq>`,
  );
}

export function getPaymentXml(
  r: Routing,
  nav: string,
  options: { token?: string; version?: 1 | 2; fiscalCode?: string } = {},
): string {
  const element = options.version === 1 ? "paGetPaymentReq" : "paGetPaymentV2Request";
  const header = options.token
    ? `<st:paymentToken xmlns:st="${STATION_HEADER_NS}">${escapeXml(options.token)}</st:paymentToken>`
    : "";
  return envelope(
    `<pafn:${element}>${routingXml(r)}<qrCode>${t("fiscalCode", options.fiscalCode ?? r.idPA)}${t("noticeNumber", nav)}</qrCode></pafn:${element}>`,
    header,
  );
}

export interface ReceiptTransfer {
  idTransfer: number;
  amount: string;
  fiscalCodePA: string;
  iban?: string;
  mbd?: string;
  remittance: string;
  category: string;
}

export interface ReceiptFields {
  receiptId: string;
  nav: string;
  fiscalCode: string;
  iuv: string;
  amount: string;
  transfers: ReceiptTransfer[];
  outcome?: "OK" | "KO";
  standIn?: boolean;
  paymentDateTime?: string;
  /** The payer's e-mail in the receipt (the receipt e-mail goes there when the portal gave none). */
  payerEmail?: string;
}

const person = `<uniqueIdentifier><entityUniqueIdentifierType>F</entityUniqueIdentifierType><entityUniqueIdentifierValue>RSSMRA80A01H501U</entityUniqueIdentifierValue></uniqueIdentifier><fullName>Mario Rossi</fullName>`;

/** paSendRTV2Request (version 2) or paSendRTReq (version 1) with a complete receipt. */
export function sendRTXml(r: Routing, f: ReceiptFields, version: 1 | 2 = 2): string {
  const element = version === 1 ? "paSendRTReq" : "paSendRTV2Request";
  const transfers = f.transfers
    .map(
      (tr) =>
        `<transfer>${t("idTransfer", tr.idTransfer)}${t("transferAmount", tr.amount)}${t("fiscalCodePA", tr.fiscalCodePA)}` +
        (tr.mbd ? t("MBDAttachment", tr.mbd) : t("IBAN", tr.iban)) +
        `${t("remittanceInformation", tr.remittance)}${t("transferCategory", tr.category)}</transfer>`,
    )
    .join("");
  const receipt =
    t("receiptId", f.receiptId) +
    t("noticeNumber", f.nav) +
    t("fiscalCode", f.fiscalCode) +
    t("outcome", f.outcome ?? "OK") +
    t("creditorReferenceId", f.iuv) +
    t("paymentAmount", f.amount) +
    t("description", "Pagamento avviso") +
    t("companyName", "Comune di Prova") +
    `<debtor>${person}</debtor><transferList>${transfers}</transferList>` +
    t("idPSP", "BCITITMM") +
    t("pspFiscalCode", "00799960158") +
    t("PSPCompanyName", "Banca di Prova") +
    t("idChannel", "00799960158_01") +
    t("channelDescription", "app") +
    `<payer>${person}${f.payerEmail ? t("e-mail", f.payerEmail) : ""}</payer>` +
    t("paymentMethod", "creditCard") +
    t("fee", "1.00") +
    t("paymentDateTime", f.paymentDateTime ?? "2026-05-10T10:15:00") +
    t("applicationDate", "2026-05-10") +
    t("transferDate", "2026-05-11") +
    t("standIn", f.standIn ?? false);
  return envelope(`<pafn:${element}>${routingXml(r)}<receipt>${receipt}</receipt></pafn:${element}>`);
}

export function demandXml(r: Routing, idServizio: string, serviceData: string): string {
  return envelope(
    `<pafn:paDemandPaymentNoticeRequest>${routingXml(r)}${t("idServizio", idServizio)}${t("idSoggettoServizio", "00001")}` +
      `${t("datiSpecificiServizioRequest", Buffer.from(serviceData, "utf8").toString("base64"))}</pafn:paDemandPaymentNoticeRequest>`,
  );
}

/** A CIE service-data document (catalogo servizi Cie_1_0_0.xsd). */
export function cieServiceData(comune: string, causale = "9"): string {
  return `<?xml version="1.0" encoding="UTF-8"?><ta:pagamentoCIE xmlns:ta="http://PuntoAccessoPSP.spcoop.gov.it/pagamentoCIE"><ta:codiceCausale>${causale}</ta:codiceCausale><ta:codiceFiscaleComune>${comune}</ta:codiceFiscaleComune><ta:intestatario><ta:codiceFiscaleIntestatario>RSSMRA80A01H501U</ta:codiceFiscaleIntestatario><ta:denominazioneIntestatario>Mario Rossi</ta:denominazioneIntestatario></ta:intestatario></ta:pagamentoCIE>`;
}
