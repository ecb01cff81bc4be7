import { ConfigError } from "../../config/env.ts";
import type { Database } from "../../platform/db/database.ts";

/**
 * The boot check of the soap role in production, beside the environment check: an enabled PROD
 * station with neither a client-certificate fingerprint nor a subscription key would be refused
 * on every call (the station guard fails closed in production), so the role does not start at
 * all and says which stations to fix. Source addresses alone do not count: they say where a
 * request comes from, not who sent it.
 * @throws ConfigError naming every such station
 */
export async function assertProdStationsAuthenticate(db: Database): Promise<void> {
  const open = await db.withPlatformScope("boot: station caller authentication", (tx) =>
    tx.station.findMany({
      where: { environment: "PROD", enabled: true, clientCertFingerprint: null, subscriptionKeyHash: null },
      select: { code: true },
      orderBy: { code: "asc" },
    }),
  );
  if (open.length === 0) return;
  throw new ConfigError(
    open.map(
      ({ code }) =>
        `station ${code}: a PROD station needs caller authentication in production (the Nodo's client-certificate fingerprint or a subscription key; source addresses alone do not authenticate)`,
    ),
  );
}
