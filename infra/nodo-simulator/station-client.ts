import { randomBytes } from "node:crypto";
import type { SimulatorConfig } from "./config.ts";
import { el, envelope, esc, paymentTokenHeader, parseBody } from "./soap.ts";
import type { XsdChecker } from "./xsd-check.ts";

export interface StationAnswer {
  operation: string;
  ok: boolean;
  faultCode?: string;
  payload: Record<string, unknown>;
  ms: number;
  /** Set when the station did not answer in time or the connection failed. */
  lost?: string;
}

export interface Psp {
  idPSP: string;
  name: string;
  fiscalCode: string;
  idChannel: string;
  feeCents: number;
}

/** Fictional PSPs the simulator pays with. */
export const PSPS: Psp[] = [
  {
    idPSP: "BDPSIMIT",
    name: "Banca Demo Pagamenti",
    fiscalCode: "00799960158",
    idChannel: "00799960158_01",
    feeCents: 100,
  },
  { idPSP: "POSTSIM1", name: "Poste Simulate", fiscalCode: "97103880585", idChannel: "97103880585_02", feeCents: 150 },
  {
    idPSP: "TABSIMIT",
    name: "Tabaccheria Demo (circuito Mooney simulato)",
    fiscalCode: "09966380153",
    idChannel: "09966380153_03",
    feeCents: 200,
  },
];

export const euro = (cents: number) => (cents / 100).toFixed(2);
export const toCents = (amount: unknown) => Math.round(Number(amount) * 100);

export interface TransferData {
  idTransfer: string;
  transferAmount: string;
  fiscalCodePA: string;
  IBAN?: string;
  richiestaMarcaDaBollo?: { hashDocumento?: string };
  remittanceInformation: string;
  transferCategory: string;
}

/** Calls our station as the Nodo does: SOAP 1.1 over HTTP, checked against the official XSD. */
export class StationClient {
  constructor(
    private readonly config: SimulatorConfig,
    private readonly xsd: XsdChecker,
  ) {}

  /** The same Nodo calling another station of the broker (a council served by the test station). */
  withStation(stationId: string): StationClient {
    return new StationClient({ ...this.config, NODO_SIM_STATION_ID: stationId }, this.xsd);
  }

  private routing(idPA: string) {
    return (
      el("idPA", idPA) +
      el("idBrokerPA", this.config.NODO_SIM_BROKER_PA) +
      el("idStation", this.config.NODO_SIM_STATION_ID)
    );
  }

  async call(
    operation: string,
    element: string,
    inner: string,
    options: { timeoutMs?: number; header?: string } = {},
  ): Promise<StationAnswer> {
    const started = performance.now();
    const body = envelope(`<pafn:${element}>${inner}</pafn:${element}>`, options.header);
    let text: string;
    try {
      const res = await fetch(this.config.NODO_SIM_STATION_URL, {
        method: "POST",
        headers: {
          "content-type": "text/xml; charset=utf-8",
          soapaction: operation,
          ...(this.config.NODO_SIM_SUBSCRIPTION_KEY
            ? { "Ocp-Apim-Subscription-Key": this.config.NODO_SIM_SUBSCRIPTION_KEY }
            : {}),
        },
        body,
        signal: AbortSignal.timeout(options.timeoutMs ?? this.config.NODO_SIM_TIMEOUT_MS),
      });
      text = await res.text();
    } catch (err) {
      return { operation, ok: false, payload: {}, ms: performance.now() - started, lost: (err as Error).message };
    }
    const ms = performance.now() - started;
    await this.xsd.check(operation, text);
    try {
      const { payload } = parseBody(text);
      const fault = payload.fault as Record<string, string> | undefined;
      return { operation, ok: payload.outcome === "OK", faultCode: fault?.faultCode, payload, ms };
    } catch (err) {
      return {
        operation,
        ok: false,
        faultCode: "SOAP_FAULT",
        payload: { raw: text.slice(0, 500), error: (err as Error).message },
        ms,
      };
    }
  }

  verify(idPA: string, nav: string, options?: { timeoutMs?: number }) {
    const inner = this.routing(idPA) + `<qrCode>${el("fiscalCode", idPA)}${el("noticeNumber", nav)}</qrCode>`;
    return this.call("paVerifyPaymentNotice", "paVerifyPaymentNoticeReq", inner, options);
  }

  /** `token`: the activation's payment token, which becomes the receipt's receiptId (IUR). */
  getPaymentV2(idPA: string, nav: string, amountCents?: number, token?: string) {
    const inner =
      this.routing(idPA) +
      `<qrCode>${el("fiscalCode", idPA)}${el("noticeNumber", nav)}</qrCode>` +
      (amountCents ? el("amount", euro(amountCents)) : "");
    return this.call("paGetPaymentV2", "paGetPaymentV2Request", inner, {
      header: token ? paymentTokenHeader(token) : undefined,
    });
  }

  sendRTV2(idPA: string, receiptXml: string) {
    return this.call("paSendRTV2", "paSendRTV2Request", this.routing(idPA) + `<receipt>${receiptXml}</receipt>`, {
      timeoutMs: 15_000,
    });
  }
}

export interface ReceiptInput {
  receiptId: string;
  idPA: string;
  nav: string;
  iuv: string;
  amountCents: number;
  description: string;
  companyName: string;
  debtor: { type: string; value: string; fullName: string };
  transfers: TransferData[];
  psp: Psp;
  standIn: boolean;
  paidAt: Date;
}

// "sv-SE" writes dates as YYYY-MM-DD HH:MM:SS, the xsd:dateTime order.
const ROME_LOCAL = new Intl.DateTimeFormat("sv-SE", {
  timeZone: "Europe/Rome",
  hourCycle: "h23",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

/**
 * An instant as the Nodo writes it in a receipt: Italian wall-clock time without an offset
 * (`2026-03-29T03:30:00` for 01:30 UTC). Writing UTC digits here would make every receipt an
 * hour (two in summer) early once the station reads them, as it must, as Rome time.
 */
export function romeLocalDateTime(at: Date): string {
  return ROME_LOCAL.format(at).replace(" ", "T");
}

const subject = (s: ReceiptInput["debtor"]) =>
  `<uniqueIdentifier>${el("entityUniqueIdentifierType", s.type)}${el("entityUniqueIdentifierValue", s.value)}</uniqueIdentifier>${el("fullName", s.fullName.slice(0, 70))}`;

/** A paSendRTV2 receipt (ctReceiptV2), in the XSD's element order. */
export function receiptXml(r: ReceiptInput): string {
  const transfers = r.transfers
    .map((t) => {
      const account = t.IBAN
        ? el("IBAN", t.IBAN)
        : el(
            "MBDAttachment",
            Buffer.from(
              `<marcaDaBollo><hash>${esc(t.richiestaMarcaDaBollo?.hashDocumento ?? "")}</hash></marcaDaBollo>`,
            ).toString("base64"),
          );
      return `<transfer>${el("idTransfer", t.idTransfer)}${el("transferAmount", t.transferAmount)}${el("fiscalCodePA", t.fiscalCodePA)}${account}${el("remittanceInformation", t.remittanceInformation)}${el("transferCategory", t.transferCategory)}</transfer>`;
    })
    .join("");
  const date = romeLocalDateTime(r.paidAt);
  return (
    el("receiptId", r.receiptId) +
    el("noticeNumber", r.nav) +
    el("fiscalCode", r.idPA) +
    el("outcome", "OK") +
    el("creditorReferenceId", r.iuv) +
    el("paymentAmount", euro(r.amountCents)) +
    el("description", r.description.slice(0, 140)) +
    el("companyName", r.companyName.slice(0, 140)) +
    `<debtor>${subject(r.debtor)}</debtor><transferList>${transfers}</transferList>` +
    el("idPSP", r.psp.idPSP) +
    el("pspFiscalCode", r.psp.fiscalCode) +
    el("PSPCompanyName", r.psp.name.slice(0, 70)) +
    el("idChannel", r.psp.idChannel) +
    el("channelDescription", "app") +
    `<payer>${subject(r.debtor)}</payer>` +
    el("paymentMethod", "creditCard") +
    el("fee", euro(r.psp.feeCents)) +
    el("paymentDateTime", date.slice(0, 19)) +
    el("applicationDate", date.slice(0, 10)) +
    el("transferDate", romeLocalDateTime(new Date(r.paidAt.getTime() + 86_400_000)).slice(0, 10)) +
    el("standIn", r.standIn)
  );
}

/** A receipt id as PSPs mint them: unique, up to 35 characters. */
export const newReceiptId = () => randomBytes(16).toString("hex");
