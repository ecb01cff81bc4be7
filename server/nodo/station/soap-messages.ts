import { PA_FOR_NODE_NS, SOAP11_NS } from "./envelope.ts";
import type { FaultBody } from "./faults.ts";
import { el, escapeXml, leaf } from "./xml.ts";

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

function envelope(body: string, extraNs = ""): string {
  return `${DECLARATION}<soapenv:Envelope xmlns:soapenv="${SOAP11_NS}"${extraNs}><soapenv:Header/><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;
}

/** A paForNode response element: qualified root, unqualified children (as the XSD wants). */
function response(element: string, children: string): string {
  return envelope(`<pafn:${element}>${children}</pafn:${element}>`, ` xmlns:pafn="${PA_FOR_NODE_NS}"`);
}

/** outcome OK followed by the operation's own elements. */
export function okResponse(element: string, children = ""): string {
  return response(element, leaf("outcome", "OK") + children);
}

/**
 * outcome KO with ctFaultBean. `id` names who raised the fault: the council's fiscal code (or
 * the intermediary's when the council is not known).
 */
export function koResponse(element: string, fault: FaultBody, id: string): string {
  return response(
    element,
    leaf("outcome", "KO") +
      el(
        "fault",
        leaf("faultCode", fault.faultCode),
        leaf("faultString", fault.faultString),
        leaf("id", id),
        leaf("description", fault.description),
      ),
  );
}

/** A SOAP 1.1 Fault, for requests too broken to be answered by any operation. */
export function soapFault(code: "Client" | "Server" | "VersionMismatch", message: string): string {
  return envelope(
    `<soapenv:Fault><faultcode>soapenv:${code}</faultcode><faultstring>${escapeXml(message)}</faultstring></soapenv:Fault>`,
  );
}
