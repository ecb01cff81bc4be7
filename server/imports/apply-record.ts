import { ZodError } from "zod";
import type { Database, Tx } from "../platform/db/database.ts";
import type { AnyTx } from "../platform/db/raw-sql.ts";
import { AppError } from "../platform/errors.ts";
import type { Actor } from "../audit/index.ts";
import { splitByShares } from "../catalog/index.ts";
import {
  cancelPositionInTx,
  createPosition,
  findPositionByKeys,
  updatePositionPlanInTx,
  type CreatePositionInput,
} from "../positions/index.ts";
import type { ImportRecord, OptionDraft, PositionDraft, RowIssue } from "./record.ts";

type TransferInput = NonNullable<CreatePositionInput["single"]>["transfers"][number];
import { loadPaymentTypeForImport, recordImportKeys, type ImportPaymentType } from "./import.repository.ts";

export interface ImportTenant {
  id: string;
  fiscalCode: string;
  segregationCode: string;
  auxDigit: number;
}

/** One source row's outcome, as import_rows stores it. */
export interface RowOutcome {
  rowNumber: number;
  outcome: "ACCEPTED" | "REJECTED";
  action: string;
  key: string | null;
  positionId?: string;
  nav?: string;
  iuv?: string;
  issue?: RowIssue;
  echo?: Record<string, string>;
}

export interface ApplyContext {
  tx: Tx;
  tenant: ImportTenant;
  importId: string;
  actor: Actor;
  db: Database;
  /** Payment types by code, looked up once per chunk. */
  types: Map<string, ImportPaymentType | null>;
}

const ACTION_LABEL = { insert: "I", update: "M", cancel: "A", upsert: "I/M" } as const;

/**
 * Applies one record under its own savepoint: everything it changes lands, or nothing does and
 * its rows are rejected with the reason. Errors that are not about the record (the database
 * gone, a bug) are rethrown: the chunk's transaction rolls back and the job retries it.
 */
export function rejectedRows(record: ImportRecord, issue: RowIssue): RowOutcome[] {
  return record.rows.map((r) => ({
    rowNumber: r.rowNumber,
    outcome: "REJECTED" as const,
    action: ACTION_LABEL[record.action],
    key: r.key ?? null,
    issue,
    echo: r.echo,
  }));
}

/** Every row of an applied record, each with the NAV of the option it became. */
export function acceptedRows(
  record: ImportRecord,
  position: { id: string; options: Array<{ nav: string; iuv: string }> },
): RowOutcome[] {
  const navs = record.position ? navsByRow(orderedOptions(record.position), position.options) : new Map();
  return record.rows.map((r) => ({
    rowNumber: r.rowNumber,
    outcome: "ACCEPTED" as const,
    action: ACTION_LABEL[record.action],
    key: r.key ?? null,
    positionId: position.id,
    ...navs.get(r.rowNumber),
    echo: r.echo,
  }));
}

export async function applyRecord(ctx: ApplyContext, record: ImportRecord): Promise<RowOutcome[]> {
  const reject = (issue: RowIssue) => rejectedRows(record, issue);
  if (record.issue) return reject(record.issue);
  await ctx.tx.$executeRawUnsafe("SAVEPOINT import_record");
  try {
    const outcome = await apply(ctx, record);
    await ctx.tx.$executeRawUnsafe("RELEASE SAVEPOINT import_record");
    return outcome;
  } catch (err) {
    const issue = issueOf(err, record);
    if (!issue) throw err;
    await ctx.tx.$executeRawUnsafe("ROLLBACK TO SAVEPOINT import_record");
    return reject(issue);
  }
}

async function apply(ctx: ApplyContext, record: ImportRecord): Promise<RowOutcome[]> {
  const { tx, tenant, actor } = ctx;
  const existing = await findPositionByKeys(tx, tenant.id, [record.key, ...(record.altKeys ?? [])]);
  const sameFile = existing?.importId === ctx.importId;
  const fail = (code: string, message: string, column = record.columns.key): never => {
    throw new RecordRejected({ code, column, message });
  };

  if (record.action === "cancel") {
    if (!existing) return fail("POSIZIONE_INESISTENTE", `${record.columns.key} ${record.key}: posizione non trovata`);
    await cancelPositionInTx(tx, tenant.id, existing.id, `Annullata da file (import ${ctx.importId})`, actor);
    return acceptedRows({ ...record, position: undefined }, { id: existing.id, options: [] });
  }
  if (existing && (record.action === "insert" || sameFile))
    return sameFile
      ? fail("DUPLICATO", `${record.columns.key} ${record.key} ripetuto nel file`)
      : fail("POSIZIONE_ESISTENTE", `${record.columns.key} ${record.key}: esiste già (usa l'azione di modifica)`);
  if (!existing && record.action === "update")
    return fail("POSIZIONE_INESISTENTE", `${record.columns.key} ${record.key}: posizione non trovata`);

  const input = await positionInput(ctx, record);
  const position = existing
    ? await updatePositionPlanInTx(tx, tenant, existing.id, input, actor)
    : await createPosition(ctx.db, tenant, input, actor, { tx });
  await recordImportKeys(tx, tenant.id, [{ positionId: position.id, key: record.key, altKeys: record.altKeys }]);
  return acceptedRows(record, position);
}

/** The single payment first, then installments in order: the order positions/ creates them in. */
function orderedOptions(p: PositionDraft): OptionDraft[] {
  return [...p.options.filter((o) => o.kind === "SINGLE"), ...p.options.filter((o) => o.kind === "INSTALLMENT")];
}

function navsByRow(plan: OptionDraft[], options: Array<{ nav: string; iuv: string }>) {
  return new Map(plan.map((o, i) => [o.rowNumber, { nav: options[i]!.nav, iuv: options[i]!.iuv }]));
}

/** What building a record's input needs: its payment type from `types`, else read through `tx`. */
type InputContext = Pick<ApplyContext, "tenant" | "importId" | "types"> & { tx: AnyTx };

export async function positionInput(ctx: InputContext, record: ImportRecord): Promise<CreatePositionInput> {
  const p = record.position!;
  const code = p.paymentTypeCode ?? "";
  if (!ctx.types.has(code)) ctx.types.set(code, await loadPaymentTypeForImport(ctx.tx, ctx.tenant.id, code));
  const type = ctx.types.get(code);
  if (!type || !type.active)
    throw new RecordRejected({
      code: "TIPO_DOVUTO_NON_VALIDO",
      column: record.columns.paymentType,
      message: `${record.columns.paymentType} «${code}» sconosciuto o non attivo per l'ente`,
    });
  const option = (o: OptionDraft) => ({
    amountCents: o.amountCents,
    dueDate: o.dueDate,
    description: o.description,
    nav: o.nav,
    transfers: o.transfers.flatMap((t): TransferInput[] => {
      if (t.iban || t.stamp)
        return [
          {
            iban: t.iban,
            isPostalIban: t.iban ? type.postalIbans.has(t.iban) : false,
            beneficiaryFiscalCode: t.beneficiaryFiscalCode,
            stamp: t.stamp,
            amountCents: t.amountCents,
            taxonomyCode: t.taxonomyCode ?? type.taxonomyCode,
            remittanceText: t.remittanceText ?? p.subject,
            metadata: t.metadata ?? [],
            accountingLines: t.accountingLines,
          },
        ];
      if (type.defaults.length === 0)
        throw new RecordRejected({
          code: "TIPO_DOVUTO_NON_VALIDO",
          column: record.columns.paymentType,
          message: `il tipo «${code}» non ha un conto di accredito: indica l'IBAN nel file`,
        });
      const parts = splitByShares(
        t.amountCents,
        type.defaults.map((d) => d.shareBasisPoints),
      );
      // A budget split names amounts of one transfer. When the type's shares divide the amount,
      // a one-line bilancio names the council's (first) transfer's chapter; several lines cannot
      // be laid onto shares they do not know of.
      const lines = t.accountingLines ?? [];
      if (lines.length > 1 && parts.length > 1)
        throw new RecordRejected({
          code: "FORMATO_NON_VALIDO",
          column: "bilancio",
          message: `bilancio: il tipo «${code}» divide l'importo su più conti, indica l'IBAN nel file`,
        });
      const firstAccounting =
        parts.length > 1
          ? { budgetChapter: lines[0]?.budgetChapter, assessment: lines[0]?.assessment, accountingLines: [] }
          : { accountingLines: lines };
      return type.defaults.map((d, i) => ({
        iban: d.accountIban,
        isPostalIban: type.postalIbans.has(d.accountIban),
        beneficiaryFiscalCode: d.beneficiaryFiscalCode,
        amountCents: parts[i]!,
        taxonomyCode: t.taxonomyCode ?? d.taxonomyCode ?? type.taxonomyCode,
        remittanceText: t.remittanceText ?? p.subject,
        metadata: t.metadata ?? [],
        ...(i === 0 ? firstAccounting : {}),
      }));
    }),
  });
  const single = p.options.find((o) => o.kind === "SINGLE");
  const installments = p.options.filter((o) => o.kind === "INSTALLMENT");
  if (single && p.options.filter((o) => o.kind === "SINGLE").length > 1)
    throw new RecordRejected({
      code: "RATE",
      column: "rata",
      message: "più di un'unica soluzione per la stessa posizione",
    });
  return {
    externalId: record.key,
    paymentTypeCode: type.code,
    origin: "FILE",
    debtor: p.debtor,
    subject: p.subject,
    data: { ...p.data, importId: ctx.importId },
    single: single ? option(single) : undefined,
    installments: installments.length ? installments.map(option) : undefined,
  };
}

class RecordRejected extends Error {
  constructor(readonly issue: RowIssue) {
    super(issue.message);
  }
}

const APP_ERRORS: Record<string, string> = {
  POSITION_NOT_CANCELLABLE: "POSIZIONE_NON_ANNULLABILE",
  POSITION_NOT_UPDATABLE: "POSIZIONE_NON_MODIFICABILE",
  NAV_INVALID: "NUMERO_AVVISO_NON_VALIDO",
  NAV_UNUSABLE: "NUMERO_AVVISO_NON_VALIDO",
  NAV_TAKEN: "NUMERO_AVVISO_GIA_USATO",
  PAYMENT_TYPE_UNKNOWN: "TIPO_DOVUTO_NON_VALIDO",
  POSITION_DUPLICATE: "POSIZIONE_ESISTENTE",
  AMOUNT_TOO_SMALL: "IMPORTO_NON_VALIDO",
};

/** A record-level reason in the council's terms, or null for errors that are not the record's. */
export function issueOf(err: unknown, record: ImportRecord): RowIssue | null {
  if (err instanceof RecordRejected) return err.issue;
  if (err instanceof AppError && APP_ERRORS[err.code]) {
    const column = err.code.startsWith("NAV_")
      ? record.columns.nav
      : err.code.startsWith("POSITION")
        ? record.columns.key
        : record.columns.row;
    return { code: APP_ERRORS[err.code]!, column, message: err.message };
  }
  if (err instanceof ZodError) {
    const first = err.issues[0]!;
    return {
      code: "DATI_NON_VALIDI",
      column: record.columns.row,
      message: `${first.path.join(".")}: ${first.message}`,
    };
  }
  // A unique index refused the row (a council-given NAV already used, an external id raced in).
  const prisma = err as { code?: string; meta?: { target?: unknown } };
  if (prisma?.code === "P2002")
    return { code: "DUPLICATO", column: record.columns.nav, message: "numero avviso o identificativo già usato" };
  return null;
}
