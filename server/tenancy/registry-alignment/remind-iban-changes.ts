import Handlebars from "handlebars";
import type { Database } from "../../platform/db/database.ts";
import type { Mailer } from "../../platform/mail/mailer.ts";
import type { Logger } from "../../platform/observability/logger.ts";
import { dateAsDay, dayAsDate, italianDay, romeDayOf } from "../../platform/rome-day.ts";

/** pagoPA wants IBAN changes registered at least this many days before they take effect. */
export const IBAN_REMINDER_DAYS = 7;

interface ReminderView {
  council: string;
  iban: string;
  day: string;
  replaces: string | null;
}

const html = Handlebars.compile<ReminderView>(
  `<!doctype html><html lang="it"><body style="font-family:sans-serif;line-height:1.5">
<p>Dal <strong>{{day}}</strong> i pagamenti pagoPA di <strong>{{council}}</strong> saranno accreditati sull'IBAN <strong>{{iban}}</strong>{{#if replaces}}, che sostituisce {{replaces}}{{/if}}.</p>
<p>Verifica che il nuovo IBAN risulti registrato presso pagoPA con la stessa decorrenza: se manca, dal {{day}} i pagamenti su questo conto saranno rifiutati. La Regione vede le differenze nella pagina «Allineamento con pagoPA».</p>
<p>Questo messaggio è stato inviato automaticamente, non rispondere.</p>
</body></html>`,
  { strict: true },
);

/**
 * Seven days (or fewer) before a new creditor account takes effect, e-mails the council's contact
 * once, so a change pagoPA does not know yet is caught while there is time. A council without a
 * contact e-mail is logged (the Region sees the difference on its alignment page).
 */
export async function remindIbanChanges(
  db: Database,
  mailer: Pick<Mailer, "send">,
  logger: Logger,
  now = new Date(),
): Promise<{ sent: number; skipped: number }> {
  const today = romeDayOf(now);
  const horizon = new Date(dayAsDate(today).getTime() + IBAN_REMINDER_DAYS * 86_400_000);
  const due = await db.withPlatformScope("scheduler: IBAN change reminders", (tx) =>
    tx.creditorAccount.findMany({
      where: { changeReminderSentAt: null, effectiveFrom: { gt: dayAsDate(today), lte: horizon } },
      include: { tenant: { select: { name: true, contactEmail: true } } },
    }),
  );
  let sent = 0;
  let skipped = 0;
  for (const account of due) {
    const replaced = await db.withTenant(account.tenantId, (tx) =>
      tx.creditorAccount.findFirst({
        where: { tenantId: account.tenantId, isPostal: account.isPostal, effectiveTo: { lt: account.effectiveFrom } },
        orderBy: { effectiveTo: "desc" },
        select: { iban: true },
      }),
    );
    const view = {
      council: account.tenant.name,
      iban: account.iban,
      day: italianDay(dateAsDay(account.effectiveFrom)),
      replaces: replaced?.iban ?? null,
    };
    if (!account.tenant.contactEmail) {
      logger.warn(
        { tenantId: account.tenantId, accountId: account.id },
        "IBAN change reminder: council has no contact e-mail",
      );
      skipped++;
    } else {
      await mailer.send({
        to: account.tenant.contactEmail,
        subject: `Nuovo IBAN di accredito dal ${view.day}: verifica la registrazione presso pagoPA`,
        text: [
          `Dal ${view.day} i pagamenti pagoPA di ${view.council} saranno accreditati sull'IBAN ${view.iban}${view.replaces ? `, che sostituisce ${view.replaces}` : ""}.`,
          "",
          `Verifica che il nuovo IBAN risulti registrato presso pagoPA con la stessa decorrenza: se manca, dal ${view.day} i pagamenti su questo conto saranno rifiutati. La Regione vede le differenze nella pagina «Allineamento con pagoPA».`,
          "",
          "Questo messaggio è stato inviato automaticamente, non rispondere.",
        ].join("\n"),
        html: html(view),
      });
      sent++;
    }
    // Marked after sending: a crash in between sends it twice, never zero times.
    await db.withTenant(account.tenantId, (tx) =>
      tx.creditorAccount.update({ where: { id: account.id }, data: { changeReminderSentAt: now } }),
    );
  }
  return { sent, skipped };
}
