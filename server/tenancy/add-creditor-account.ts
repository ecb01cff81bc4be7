import { z } from "zod";
import type { Database } from "../platform/db/database.ts";
import { isValidIban } from "../pagopa/index.ts";
import { recordAudit, type Actor } from "../audit/index.ts";
import { FormValidationError } from "../platform/errors.ts";
import { dateAsDay, dayAsDate as day, romeDayOf } from "../platform/rome-day.ts";

/** pagoPA asks for account changes at least 7 days before they take effect. */
export const ACCOUNT_NOTICE_DAYS = 7;
/** Poste Italiane's bank code: an Italian IBAN with ABI 07601 is a postal current account. */
const POSTE_ABI = "07601";

const addDays = (d: Date, n: number) => new Date(d.getTime() + n * 86_400_000);

/** The decorrenza: a real calendar day, at least ACCOUNT_NOTICE_DAYS after today in Rome. Checked with the other fields, so every error shows at once. */
const effectiveFromAt = (now: Date, noticeDays: number) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "data nel formato aaaa-mm-gg")
    .superRefine((iso, ctx) => {
      const from = day(iso);
      if (Number.isNaN(from.getTime()) || from.toISOString().slice(0, 10) !== iso)
        return ctx.addIssue({ code: "custom", message: "data non valida" });
      const earliest = addDays(day(romeDayOf(now)), noticeDays);
      if (from < earliest)
        ctx.addIssue({
          code: "custom",
          message: noticeDays
            ? `la decorrenza deve essere almeno ${noticeDays} giorni dopo oggi (dal ${dateAsDay(earliest)})`
            : `la decorrenza non può essere nel passato (dal ${dateAsDay(earliest)})`,
        });
    });

const accountInputAt = (now: Date, noticeDays = ACCOUNT_NOTICE_DAYS) =>
  z.object({
    iban: z
      .string()
      .transform((s) => s.replace(/\s+/g, "").toUpperCase())
      .refine(isValidIban, "IBAN non valido (controlla le cifre di controllo)"),
    holder: z.string().trim().min(2, "intestatario obbligatorio").max(140),
    description: z.string().trim().max(140).optional(),
    /** Calendar day (yyyy-mm-dd, Rome) from which payments are credited to this account. */
    effectiveFrom: effectiveFromAt(now, noticeDays),
    /** The account this one replaces: it stays in the history, closed the day before. */
    replacesIban: z
      .string()
      .transform((s) => s.replace(/\s+/g, "").toUpperCase())
      .optional(),
  });
export type CreditorAccountInput = z.input<ReturnType<typeof accountInputAt>>;

/**
 * Adds a creditor account (IBAN or postal IBAN) effective from a day at least 7 days ahead
 * (Rome's calendar). Replacing an account closes the old one the day before, so the history of
 * which account was in force when stays complete; nothing is ever deleted. Audited.
 * @throws FormValidationError FORM_INVALID
 */
export async function addCreditorAccount(
  db: Database,
  tenantId: string,
  input: CreditorAccountInput,
  actor: Actor,
  now = new Date(),
  /** Days of notice; 0 only for a council's first account while it is in TEST (adhesion). */
  noticeDays = ACCOUNT_NOTICE_DAYS,
) {
  const parsed = accountInputAt(now, noticeDays).safeParse(input);
  if (!parsed.success)
    throw new FormValidationError(
      Object.fromEntries(parsed.error.issues.map((i) => [i.path.join(".") || "form", i.message])),
    );
  const a = parsed.data;
  const from = day(a.effectiveFrom);
  const isPostal = a.iban.startsWith("IT") && a.iban.slice(5, 10) === POSTE_ABI;

  return db.withTenant(tenantId, async (tx) => {
    const inForce = { tenantId, OR: [{ effectiveTo: null }, { effectiveTo: { gte: from } }] };
    if (await tx.creditorAccount.findFirst({ where: { ...inForce, iban: a.iban } })) {
      throw new FormValidationError({ iban: "questo IBAN è già un conto dell'ente in vigore" });
    }
    if (a.replacesIban) {
      const old = await tx.creditorAccount.findFirst({
        where: { ...inForce, iban: a.replacesIban },
        orderBy: { effectiveFrom: "desc" },
      });
      if (!old) throw new FormValidationError({ replacesIban: "il conto da sostituire non è in vigore" });
      const closed = await tx.creditorAccount.update({
        where: { id: old.id },
        data: { effectiveTo: addDays(from, -1) },
      });
      await recordAudit(tx, {
        tenantId,
        actor,
        action: "creditor-account.closed",
        entityType: "CreditorAccount",
        entityId: old.id,
        before: old,
        after: closed,
      });
    }
    const created = await tx.creditorAccount.create({
      data: {
        tenantId,
        iban: a.iban,
        isPostal,
        holder: a.holder,
        description: a.description ?? null,
        effectiveFrom: from,
      },
    });
    await recordAudit(tx, {
      tenantId,
      actor,
      action: "creditor-account.added",
      entityType: "CreditorAccount",
      entityId: created.id,
      after: created,
    });
    return created;
  });
}
