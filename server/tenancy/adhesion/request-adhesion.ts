import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import type { Database, Tx } from "../../platform/db/database.ts";
import type { AdhesionOrigin } from "../../generated/prisma/client.ts";
import { recordAudit, type Actor } from "../../audit/index.ts";
import { FormValidationError } from "../../platform/errors.ts";
import { isValidIban, isValidPersonFiscalCode, normalizeIban } from "../../pagopa/index.ts";

const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());

/** The contact person (referente): the council's first admin once the tenant exists. */
export const contactSchema = z.object({
  contactName: z.string().trim().min(3, "indica nome e cognome del referente").max(160),
  contactFiscalCode: z
    .string()
    .trim()
    .toUpperCase()
    .refine(isValidPersonFiscalCode, "codice fiscale del referente non valido"),
  contactEmail: z.string().trim().toLowerCase().max(254).pipe(z.email("indirizzo e-mail del referente non valido")),
});

export const adhesionRequestSchema = z.object({
  ipaCode: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9_]{2,35}$/, "codice IPA: lettere, cifre e _"),
  contactName: optional(contactSchema.shape.contactName),
  contactFiscalCode: optional(contactSchema.shape.contactFiscalCode),
  contactEmail: optional(contactSchema.shape.contactEmail),
  segregationCode: optional(
    z
      .string()
      .trim()
      .regex(/^\d{2}$/, "codice di segregazione: due cifre"),
  ),
  iban: optional(
    z.string().transform(normalizeIban).refine(isValidIban, "IBAN non valido (controlla le cifre di controllo)"),
  ),
});
export type AdhesionRequestInput = z.input<typeof adhesionRequestSchema>;

export type StartOutcome = { ok: true; id: string; councilLink: string } | { ok: false; field: string; reason: string };

/** The council's secret link token is stored only as its sha256. */
export const linkHash = (token: string) => createHash("sha256").update(token).digest("hex");

/**
 * Opens a request inside the caller's platform-scope transaction, or says why not (in Italian):
 * the IPA code must be in the imported registry, not already a council, not already requested.
 * A request that names its contact person starts at the letter.
 */
export async function openRequest(
  tx: Tx,
  input: z.output<typeof adhesionRequestSchema>,
  origin: AdhesionOrigin,
  actor: Actor,
): Promise<StartOutcome> {
  const body = await tx.publicBody.findUnique({ where: { ipaCode: input.ipaCode } });
  if (!body) return { ok: false, field: "ipaCode", reason: "codice IPA sconosciuto: non è nell'elenco degli enti" };
  const tenant = await tx.tenant.findFirst({
    where: { OR: [{ ipaCode: input.ipaCode }, { fiscalCode: body.fiscalCode }] },
    select: { name: true },
  });
  if (tenant) return { ok: false, field: "ipaCode", reason: `${tenant.name} aderisce già alla piattaforma` };
  if (await tx.adhesionRequest.findUnique({ where: { ipaCode: input.ipaCode }, select: { id: true } }))
    return { ok: false, field: "ipaCode", reason: "esiste già una richiesta di adesione per questo ente" };
  const hasContact = Boolean(input.contactName && input.contactFiscalCode && input.contactEmail);
  const councilLink = randomBytes(32).toString("base64url");
  const created = await tx.adhesionRequest.create({
    data: {
      ipaCode: body.ipaCode,
      name: body.name,
      fiscalCode: body.fiscalCode,
      pecEmail: body.pecEmail,
      origin,
      step: hasContact ? "LETTER" : "CONTACT",
      contactName: hasContact ? input.contactName! : null,
      contactFiscalCode: hasContact ? input.contactFiscalCode! : null,
      contactEmail: hasContact ? input.contactEmail! : null,
      segregationCode: input.segregationCode ?? null,
      iban: input.iban ?? null,
      councilLinkHash: linkHash(councilLink),
    },
  });
  await recordAudit(tx, {
    tenantId: null,
    actor,
    action: "adhesion.requested",
    entityType: "AdhesionRequest",
    entityId: created.id,
    after: { ipaCode: created.ipaCode, origin, step: created.step },
  });
  return { ok: true, id: created.id, councilLink };
}

/**
 * A council (public page) or the Region (board) asks to join: name, fiscal code and PEC come
 * from the IPA registry, never from the form. Audited.
 * @throws FormValidationError FORM_INVALID, with the Italian reason of a refusal
 */
export async function requestAdhesion(
  db: Database,
  input: AdhesionRequestInput,
  origin: Exclude<AdhesionOrigin, "BULK">,
  actor: Actor,
): Promise<{ id: string; ipaCode: string; councilLink: string }> {
  const parsed = adhesionRequestSchema.safeParse(input);
  if (!parsed.success)
    throw new FormValidationError(
      Object.fromEntries(parsed.error.issues.map((i) => [i.path.join(".") || "form", i.message])),
    );
  const out = await db.withPlatformScope("adhesion: open a request", (tx) =>
    openRequest(tx, parsed.data, origin, actor),
  );
  if (!out.ok) throw new FormValidationError({ [out.field]: out.reason });
  return { id: out.id, ipaCode: parsed.data.ipaCode, councilLink: out.councilLink };
}
