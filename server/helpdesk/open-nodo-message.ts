import { z } from "zod";
import type { Database, Tx } from "../platform/db/database.ts";
import { AppError } from "../platform/errors.ts";
import { recordAudit, type Actor } from "../audit/index.ts";

/** What the helpdesk shows of one Nodo message (the journal's reader returns at least this). */
export interface OpenedNodoMessage {
  id: string;
  tenantId: string | null;
  createdAt: Date;
  direction: string;
  operation: string;
  nav: string | null;
  iuv: string | null;
  receiptId: string | null;
  outcome: string | null;
  faultCode: string | null;
  faultString: string | null;
  faultDescription: string | null;
  durationMs: number | null;
  requestXml: string | null;
  responseXml: string | null;
}

/** The journal's reader, passed in so that the helpdesk does not reach into nodo/journal's storage. */
export type NodoMessageReader = (tx: Tx, id: string) => Promise<OpenedNodoMessage | null>;

/**
 * Opens one Nodo message for the regional helpdesk: its raw XML (while kept) and its fault.
 * A cross-tenant read in platform scope; written to the audit log of the council the message
 * belongs to (a message that reached no council has nobody else's data, so nothing to audit).
 * @throws AppError NOT_FOUND when no message has that id
 */
export async function openNodoMessage(
  db: Database,
  read: NodoMessageReader,
  id: string,
  actor: Actor,
  requestId?: string,
): Promise<OpenedNodoMessage> {
  const parsed = z.uuid().safeParse(id);
  if (!parsed.success) throw new AppError("NOT_FOUND", "Messaggio non trovato.", 404);
  return db.withPlatformScope("helpdesk: open a nodo message", async (tx) => {
    const message = await read(tx, parsed.data);
    if (!message) throw new AppError("NOT_FOUND", "Messaggio non trovato.", 404);
    if (message.tenantId) {
      await recordAudit(tx, {
        tenantId: message.tenantId,
        actor,
        action: "helpdesk.read",
        entityType: "NodoMessage",
        entityId: message.id,
        after: { operation: message.operation, nav: message.nav },
        requestId,
      });
    }
    return message;
  });
}
