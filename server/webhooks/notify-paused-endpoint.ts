import type { Database } from "../platform/db/database.ts";
import type { Mailer } from "../platform/mail/mailer.ts";
import type { Logger } from "../platform/observability/logger.ts";
import type { PausedEndpoint } from "./relay.repository.ts";

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Tells a council's admins (and its contact address) that one of its webhook endpoints was
 * paused after failing again and again: its events wait until someone resumes it. A mail that
 * cannot be sent is logged, never retried into a loop: the back-office shows the pause anyway.
 */
export async function notifyPausedEndpoint(
  deps: { db: Database; mailer: Mailer; logger: Logger; publicBaseUrl: string },
  endpoint: PausedEndpoint,
): Promise<string[]> {
  const { tenant, admins } = await deps.db.withTenant(endpoint.tenantId, async (tx) => ({
    tenant: await tx.tenant.findUniqueOrThrow({
      where: { id: endpoint.tenantId },
      select: { name: true, ipaCode: true, contactEmail: true },
    }),
    admins: await tx.membership.findMany({
      where: { tenantId: endpoint.tenantId, role: "TENANT_ADMIN" },
      select: { user: { select: { email: true } } },
    }),
  }));
  const to = [...new Set([...admins.map((a) => a.user.email), tenant.contactEmail].filter((e): e is string => !!e))];
  if (!to.length) {
    deps.logger.warn(
      { endpointId: endpoint.id, tenantId: endpoint.tenantId },
      "paused webhook endpoint: nobody to tell",
    );
    return [];
  }
  const link = `${deps.publicBaseUrl}/backoffice/enti/${tenant.ipaCode}/webhook`;
  const text =
    `Il webhook ${endpoint.url} di ${tenant.name} è stato sospeso dopo ${endpoint.consecutiveFailures} ` +
    `tentativi di consegna falliti di fila. Gli eventi restano in attesa: riattivalo dal back-office ` +
    `quando il sistema che li riceve torna disponibile.\n\n${link}\n`;
  const html =
    `<p>Il webhook <code>${escape(endpoint.url)}</code> di ${escape(tenant.name)} è stato sospeso dopo ` +
    `${endpoint.consecutiveFailures} tentativi di consegna falliti di fila.</p><p>Gli eventi restano in attesa: ` +
    `riattivalo dal back-office quando il sistema che li riceve torna disponibile.</p><p><a href="${escape(link)}">Apri i webhook</a></p>`;
  try {
    await Promise.all(
      to.map((address) => deps.mailer.send({ to: address, subject: `Webhook sospeso: ${tenant.name}`, text, html })),
    );
  } catch (err) {
    deps.logger.error({ err, endpointId: endpoint.id }, "could not e-mail the paused webhook endpoint");
  }
  return to;
}
