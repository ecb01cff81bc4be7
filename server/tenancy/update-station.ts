import { createHash } from "node:crypto";
import { isIP } from "node:net";
import { z } from "zod";
import type { Database } from "../platform/db/database.ts";
import { recordAudit, type Actor } from "../audit/index.ts";
import { FormValidationError } from "../platform/errors.ts";

const source = z.string().refine((s) => {
  const [ip, bits] = s.split("/");
  const version = isIP(ip ?? "");
  return (
    version !== 0 && (bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128)))
  );
}, "indirizzo IP o rete (CIDR) non valido");

export const stationSettingsSchema = z.object({
  description: z.string().trim().max(140).optional(),
  enabled: z.boolean(),
  clientCertFingerprint: z
    .string()
    .trim()
    .transform((s) => s.replace(/[\s:]/g, "").toUpperCase())
    .refine((s) => s === "" || /^[0-9A-F]{64}$/.test(s), "impronta SHA-256 del certificato: 64 cifre esadecimali"),
  /** A new subscription key to require; empty keeps the current one. Only its sha256 is stored. */
  newSubscriptionKey: z.string().trim().max(256).optional(),
  removeSubscriptionKey: z.boolean().default(false),
  allowedSources: z.array(source).max(50),
});
export type StationSettings = z.input<typeof stationSettingsSchema>;

/**
 * The platform admin sets a station's protections: enabled or not, the Nodo's client
 * certificate fingerprint, the subscription key (kept only as its sha256, like a password) and
 * the addresses allowed to call. The SOAP role picks the change up within SOAP_ROUTING_CACHE_MS.
 * Audited without the key itself.
 * @throws FormValidationError FORM_INVALID
 */
export async function updateStation(db: Database, code: string, input: StationSettings, actor: Actor): Promise<void> {
  const parsed = stationSettingsSchema.safeParse(input);
  if (!parsed.success)
    throw new FormValidationError(
      Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0] ?? "form"), i.message])),
    );
  const s = parsed.data;
  await db.withPlatformScope("platform admin: station protections", async (tx) => {
    const before = await tx.station.findUnique({ where: { code } });
    if (!before) throw new FormValidationError({ form: "stazione sconosciuta" });
    const keyHash = s.removeSubscriptionKey
      ? null
      : s.newSubscriptionKey
        ? createHash("sha256").update(s.newSubscriptionKey).digest("hex")
        : before.subscriptionKeyHash;
    const after = await tx.station.update({
      where: { id: before.id },
      data: {
        description: s.description || null,
        enabled: s.enabled,
        clientCertFingerprint: s.clientCertFingerprint || null,
        subscriptionKeyHash: keyHash,
        allowedSources: s.allowedSources,
      },
    });
    const view = (x: typeof before) => ({
      enabled: x.enabled,
      description: x.description,
      clientCertFingerprint: x.clientCertFingerprint,
      subscriptionKey: x.subscriptionKeyHash ? "impostata" : "assente",
      allowedSources: x.allowedSources,
    });
    await recordAudit(tx, {
      tenantId: null,
      actor,
      action: "station.update",
      entityType: "Station",
      entityId: before.id,
      before: view(before),
      after: view(after),
    });
  });
}
