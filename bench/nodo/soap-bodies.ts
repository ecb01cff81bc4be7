// The requests the Nodo sends, for the load generator (SOAP 1.1, paForNode namespace).
const NS = "http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd";
const wrap = (body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:pafn="${NS}"><soapenv:Header/><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;

export interface Routing {
  idPA: string;
  idBrokerPA: string;
  idStation: string;
}

const routing = (r: Routing) =>
  `<idPA>${r.idPA}</idPA><idBrokerPA>${r.idBrokerPA}</idBrokerPA><idStation>${r.idStation}</idStation>`;
const qr = (r: Routing, nav: string) =>
  `<qrCode><fiscalCode>${r.idPA}</fiscalCode><noticeNumber>${nav}</noticeNumber></qrCode>`;

export const verifyBody = (r: Routing, nav: string) =>
  wrap(`<pafn:paVerifyPaymentNoticeReq>${routing(r)}${qr(r, nav)}</pafn:paVerifyPaymentNoticeReq>`);
export const getPaymentV2Body = (r: Routing, nav: string) =>
  wrap(`<pafn:paGetPaymentV2Request>${routing(r)}${qr(r, nav)}</pafn:paGetPaymentV2Request>`);

/** A realistic verify answer, returned as is by the ceiling server. */
export const FIXED_VERIFY_RESPONSE =
  `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>` +
  `<pafn:paVerifyPaymentNoticeRes xmlns:pafn="${NS}"><outcome>OK</outcome><paymentList><paymentOptionDescription><amount>12.34</amount>` +
  `<options>EQ</options><dueDate>2027-01-31</dueDate><detailDescription>Benchmark</detailDescription><allCCP>false</allCCP>` +
  `</paymentOptionDescription></paymentList><paymentDescription>Benchmark</paymentDescription><fiscalCodePA>00345670210</fiscalCodePA>` +
  `<companyName>Comune di Borgo Fiorito</companyName></pafn:paVerifyPaymentNoticeRes></soapenv:Body></soapenv:Envelope>`;
