import type { Tx } from "../../platform/db/database.ts";
import type { NodoMessage } from "../../generated/prisma/client.ts";

/** One Nodo message in full: the raw XML (null once purged) and its fault, read from the response. */
export interface JournalMessage extends NodoMessage {
  /** The fault's faultString and description, as the response carried them (null without a fault or XML). */
  faultString: string | null;
  faultDescription: string | null;
}

// The fault sits in the response body as plain elements (paForNode); a regex is enough to show it.
const element = (xml: string | null, name: string): string | null => {
  const m = xml?.match(new RegExp(`<(?:\\w+:)?${name}>([^<]*)</(?:\\w+:)?${name}>`));
  return m ? decodeXml(m[1]!) : null;
};
const decodeXml = (s: string) =>
  s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, "&");

/**
 * Reads one journal entry by id inside the caller's transaction (the helpdesk's platform scope
 * or a council's RLS scope), with the fault's texts taken from the response XML while it is kept.
 */
export async function readJournalMessage(tx: Tx, id: string): Promise<JournalMessage | null> {
  const m = await tx.nodoMessage.findUnique({ where: { id } });
  if (!m) return null;
  const fault = m.faultCode ? m.responseXml : null;
  return { ...m, faultString: element(fault, "faultString"), faultDescription: element(fault, "description") };
}
