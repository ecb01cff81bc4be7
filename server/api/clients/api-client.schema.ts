import { z } from "zod";
import { API_CLIENT_ROLE_NAMES } from "./api-client-roles.ts";

const MAX_PREFIXES = 10;

/**
 * Why a return-URL prefix is not acceptable, in Italian, or null. In production only https
 * prefixes (with a host and a path ending in "/" or a segment, no query or fragment); in
 * development also http://localhost and http://127.0.0.1, for the demo portal.
 */
export function returnUrlPrefixProblem(prefix: string, production: boolean): string | null {
  let url: URL;
  try {
    url = new URL(prefix);
  } catch {
    return `"${prefix}" non è un indirizzo valido`;
  }
  if (url.search || url.hash || url.username || url.password)
    return `"${prefix}": niente parametri, frammenti o credenziali nel prefisso`;
  const local = url.protocol === "http:" && (url.hostname === "localhost" || url.hostname === "127.0.0.1");
  if (url.protocol !== "https:" && !(local && !production))
    return production ? `"${prefix}" deve iniziare con https://` : `"${prefix}" deve usare https (o http://localhost)`;
  // A bare origin would let "https://comune.example" match "https://comune.example.evil.test".
  if (!prefix.slice(url.origin.length).startsWith("/")) return `"${prefix}" deve terminare con un percorso, es. /`;
  return null;
}

/** The admin's input for a new API client; prefixes arrive one per line from the form. */
export const apiClientInputSchema = z.object({
  name: z.string().trim().min(3, "Indica un nome di almeno 3 caratteri").max(120, "Al massimo 120 caratteri"),
  roles: z
    .array(z.enum(API_CLIENT_ROLE_NAMES as [string, ...string[]]), { message: "Scegli almeno un'autorizzazione" })
    .min(1, "Scegli almeno un'autorizzazione"),
  returnUrlPrefixes: z
    .array(z.string().trim().min(1).max(500, "Indirizzo troppo lungo"))
    .max(MAX_PREFIXES, `Al massimo ${MAX_PREFIXES} prefissi`)
    .default([]),
});
export type ApiClientInput = z.input<typeof apiClientInputSchema>;
