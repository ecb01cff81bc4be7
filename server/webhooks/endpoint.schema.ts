import net from "node:net";
import { z } from "zod";
import { OUTBOX_EVENT_TYPES } from "../outbox/index.ts";
import { isForbiddenAddress } from "../platform/http/guarded-http.ts";

/**
 * Why `raw` cannot be a webhook endpoint, in Italian, or null. In production only https, and
 * no literal private/loopback/link-local address (names are checked again at every connection).
 */
export function webhookUrlProblem(raw: string, production: boolean): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "Indirizzo non valido: scrivi un URL completo (https://…)";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "Sono ammessi solo indirizzi http o https";
  if (production && url.protocol !== "https:") return "In produzione sono ammessi solo indirizzi https";
  if (url.username || url.password) return "L'indirizzo non può contenere credenziali";
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (production && ((net.isIP(host) && isForbiddenAddress(host)) || /^localhost\.?$/i.test(host)))
    return "Indirizzi privati, locali o link-local non sono ammessi";
  return null;
}

export const endpointInputSchema = z.object({
  url: z.string().trim().min(1, "Indica l'indirizzo").max(2048, "Indirizzo troppo lungo"),
  description: z.string().trim().max(140, "Al massimo 140 caratteri").optional(),
  events: z.array(z.enum(OUTBOX_EVENT_TYPES)).min(1, "Scegli almeno un evento"),
});

export type EndpointInput = z.input<typeof endpointInputSchema>;
