import { randomUUID } from "node:crypto";
import { transferAccounting } from "./accounting-split.ts";
import type { Database } from "../platform/db/database.ts";
import { rawQuery, type AnyTx } from "../platform/db/raw-sql.ts";
import { AppError } from "../platform/errors.ts";
import { uuid7 } from "../platform/db/uuid7.ts";
import { insertUnnest } from "../platform/db/insert-unnest.ts";
import { recordAuditMany, type Actor } from "../audit/index.ts";
import { emitEvents, type DomainEvent } from "../outbox/index.ts";
import { positionCreatedEvent } from "./position-events.ts";
import { allocateNoticeNumbers } from "./allocate-notice-numbers.ts";
import { createPositionSchema, type CreatePositionCommand, type CreatePositionInput } from "./position.schema.ts";
import type { CreatedPosition } from "./create-position.ts";
import type { Tenant } from "../generated/prisma/client.ts";

export type BatchResult = { ok: true; position: CreatedPosition } | { ok: false; error: unknown };

/** Rows per INSERT statement (one array parameter per column, so only memory bounds it). */
const ROWS_PER_INSERT = 5_000;
const NOW = { updated_at: "now()" };
const POSITION_COLUMNS = [
  ["id", "uuid"],
  ["tenant_id", "uuid"],
  ["iupd", "text"],
  ["external_id", "text"],
  ["payment_type_id", "uuid"],
  ["origin", '"PositionOrigin"'],
  ["debtor_type", '"DebtorType"'],
  ["debtor_fiscal_code", "text"],
  ["debtor_name", "text"],
  ["debtor_email", "text"],
  ["debtor_address", "text"],
  ["debtor_city", "text"],
  ["debtor_postal_code", "text"],
  ["debtor_province", "text"],
  ["subject", "text"],
  ["status", '"PositionStatus"'],
  ["valid_from", "timestamptz"],
  ["due_date", "timestamptz"],
  ["data", "jsonb"],
  ["published_at", "timestamptz"],
] as const;
const OPTION_COLUMNS = [
  ["id", "uuid"],
  ["tenant_id", "uuid"],
  ["position_id", "uuid"],
  ["kind", '"OptionKind"'],
  ["installment_number", "smallint"],
  ["installment_count", "smallint"],
  ["nav", "text"],
  ["iuv", "text"],
  ["amount_cents", "integer"],
  ["description", "text"],
  ["due_date", "timestamptz"],
  ["expires_at", "timestamptz"],
] as const;
const TRANSFER_COLUMNS = [
  ["id", "uuid"],
  ["tenant_id", "uuid"],
  ["option_id", "uuid"],
  ["index", "smallint"],
  ["beneficiary_fiscal_code", "text"],
  ["iban", "text"],
  ["is_postal_iban", "boolean"],
  ["stamp_type", "text"],
  ["stamp_document_hash", "text"],
  ["stamp_province", "text"],
  ["amount_cents", "integer"],
  ["taxonomy_code", "text"],
  ["remittance_text", "text"],
  ["metadata", "jsonb"],
  ["budget_chapter", "text"],
  ["assessment", "text"],
  ["accounting_lines", "jsonb"],
] as const;

export interface BatchOptions {
  /**
   * false: no `position.create` audit entry per position; the caller records one entry for the
   * whole batch (a file import audits each chunk, docs/decisions/0007). Default true.
   */
  auditEach?: boolean;
  /**
   * Where the NAVs come from. Default: the counter reserved in `tx` (no gap if it rolls back,
   * but concurrent batches of one council wait on each other until commit). The API and file
   * imports reserve beforehand in a short transaction of their own (reserveNoticeNumbersApart),
   * so concurrent requests and two chunks of a file are written at once.
   */
  reserveNumbers?: (count: number) => Promise<Array<{ nav: string; iuv: string }>>;
  /**
   * true: the caller has just found none of the external ids in use (the import's bulk lane
   * probes every key of its chunk first), so they are not looked up again; the unique index
   * still refuses one raced in meanwhile, failing the whole batch. Default false.
   */
  externalIdsChecked?: boolean;
}

/** allocateNoticeNumbers' most per call. */
const NAVS_PER_CALL = 10_000;

/**
 * `createPosition` for many positions at once, in the caller's tenant transaction, for bulk
 * imports: the same checks and the same rows (position, options, transfers, one
 * `position.create` audit entry, unless `auditEach: false`, and one `position.created` outbox event each), but a handful of statements for the whole batch instead
 * of a handful per position: one lookup of the external ids and one of the payment types, one
 * counter reservation for every NAV (or `reserveNumbers`), and multi-row INSERTs. An input that fails its checks gets
 * its error and is left out; the others are written. Council-given NAVs are not taken here
 * (each needs its own check): callers send those through `createPosition`.
 * `tx` is a Prisma transaction or a pg one (`Database.sql`, the import's and the API's fast path).
 * Ids are made here (UUID v7, as the tables' default) so rows can be linked without a round
 * trip per row.
 */
export async function createPositionsBatch(
  db: Pick<Database, "iuvPermutationSecret">,
  tx: AnyTx,
  tenant: Pick<Tenant, "id" | "fiscalCode" | "segregationCode" | "auxDigit">,
  inputs: CreatePositionInput[],
  actor: Actor,
  requestId?: string,
  options: BatchOptions = {},
): Promise<BatchResult[]> {
  const results: BatchResult[] = new Array(inputs.length);
  const valid: Array<{ i: number; cmd: CreatePositionCommand }> = [];
  inputs.forEach((input, i) => {
    const parsed = createPositionSchema.safeParse(input);
    if (!parsed.success) results[i] = { ok: false, error: parsed.error };
    else if ([parsed.data.single, ...(parsed.data.installments ?? [])].some((o) => o?.nav))
      results[i] = { ok: false, error: new AppError("NAV_INVALID", "Batch creation does not take given NAVs", 422) };
    else valid.push({ i, cmd: parsed.data });
  });

  const externalIds = options.externalIdsChecked
    ? []
    : valid.map((v) => v.cmd.externalId).filter((e): e is string => Boolean(e));
  const taken = new Set(
    externalIds.length
      ? (
          await rawQuery<{ external_id: string }>(
            tx,
            // One index probe per id (see existingPositionKeys for why not `= ANY`).
            `SELECT k.key AS external_id FROM unnest($2::text[]) AS k(key)
             CROSS JOIN LATERAL (SELECT 1 FROM debt_positions p WHERE p.tenant_id = $1::uuid AND p.external_id = k.key LIMIT 1) x`,
            [tenant.id, externalIds],
          )
        ).map((p) => p.external_id)
      : [],
  );
  const codes = [...new Set(valid.map((v) => v.cmd.paymentTypeCode).filter((c): c is string => Boolean(c)))];
  const types = new Map(
    (codes.length
      ? await rawQuery<{
          id: string;
          code: string;
          accountingChapter: string | null;
          defaultAssessment: string | null;
        }>(
          tx,
          `SELECT id, code, accounting_chapter AS "accountingChapter", default_assessment AS "defaultAssessment"
             FROM payment_types WHERE tenant_id = $1::uuid AND code = ANY($2::text[])`,
          [tenant.id, codes],
        )
      : []
    ).map((t) => [t.code, t]),
  );
  const seen = new Set<string>();
  const writable = valid.filter(({ i, cmd }) => {
    const ext = cmd.externalId;
    if (ext && (taken.has(ext) || seen.has(ext))) {
      results[i] = {
        ok: false,
        error: new AppError("POSITION_DUPLICATE", `A position with externalId ${ext} exists`, 409),
      };
      return false;
    }
    if (cmd.paymentTypeCode && !types.has(cmd.paymentTypeCode)) {
      results[i] = {
        ok: false,
        error: new AppError("PAYMENT_TYPE_UNKNOWN", `Unknown payment type ${cmd.paymentTypeCode}`, 422),
      };
      return false;
    }
    if (ext) seen.add(ext);
    return true;
  });

  const plans = writable.map(({ cmd }) => [
    ...(cmd.single ? [{ kind: "SINGLE" as const, n: null as number | null, option: cmd.single }] : []),
    ...(cmd.installments ?? []).map((option, k) => ({ kind: "INSTALLMENT" as const, n: k + 1, option })),
  ]);
  const total = plans.reduce((s, p) => s + p.length, 0);
  const numbers: Array<{ nav: string; iuv: string }> = [];
  for (let done = 0; done < total; done += NAVS_PER_CALL)
    numbers.push(
      ...(options.reserveNumbers
        ? await options.reserveNumbers(Math.min(NAVS_PER_CALL, total - done))
        : await allocateNoticeNumbers(tx, tenant, Math.min(NAVS_PER_CALL, total - done), db.iuvPermutationSecret)),
    );

  const now = new Date();
  const positionRows: unknown[][] = [];
  const optionRows: unknown[][] = [];
  const transferRows: unknown[][] = [];
  const audits: Parameters<typeof recordAuditMany>[1] = [];
  const events: DomainEvent[] = [];
  let next = 0;
  writable.forEach(({ i, cmd }, w) => {
    const plan = plans[w]!;
    const positionId = uuid7();
    const iupd = cmd.iupd ?? `${tenant.fiscalCode}-${randomUUID().slice(0, 23)}`;
    positionRows.push([
      positionId,
      tenant.id,
      iupd,
      cmd.externalId ?? null,
      cmd.paymentTypeCode ? types.get(cmd.paymentTypeCode)!.id : null,
      cmd.origin,
      cmd.debtor.type,
      cmd.debtor.fiscalCode,
      cmd.debtor.name,
      cmd.debtor.email ?? null,
      cmd.debtor.address ?? null,
      cmd.debtor.city ?? null,
      cmd.debtor.postalCode ?? null,
      cmd.debtor.province ?? null,
      cmd.subject,
      cmd.publish ? "VALID" : "DRAFT",
      cmd.validFrom ?? null,
      new Date(Math.max(...plan.map((p) => p.option.dueDate.getTime()))),
      cmd.data,
      cmd.publish ? now : null,
    ]);
    const created: CreatedPosition["options"] = [];
    for (const step of plan) {
      const { nav, iuv } = numbers[next++]!;
      const optionId = uuid7();
      optionRows.push([
        optionId,
        tenant.id,
        positionId,
        step.kind,
        step.n,
        step.kind === "INSTALLMENT" ? plan.length - (cmd.single ? 1 : 0) : null,
        nav,
        iuv,
        step.option.amountCents,
        step.option.description ?? null,
        step.option.dueDate,
        step.option.expiresAt ?? null,
      ]);
      step.option.transfers.forEach((t, index) => {
        const accounting = transferAccounting(t, cmd.paymentTypeCode ? types.get(cmd.paymentTypeCode) : null);
        transferRows.push([
          uuid7(),
          tenant.id,
          optionId,
          index + 1,
          t.beneficiaryFiscalCode ?? tenant.fiscalCode,
          t.iban?.replace(/\s+/g, "").toUpperCase() ?? null,
          t.isPostalIban,
          t.stamp?.type ?? null,
          t.stamp?.documentHash ?? null,
          t.stamp?.province ?? null,
          t.amountCents,
          t.taxonomyCode,
          t.remittanceText,
          t.metadata,
          accounting.budgetChapter,
          accounting.assessment,
          accounting.accountingLines,
        ]);
      });
      created.push({
        id: optionId,
        nav,
        iuv,
        amountCents: step.option.amountCents,
        dueDate: step.option.dueDate,
        installmentNumber: step.n,
      });
    }
    if (options.auditEach !== false)
      audits.push({
        tenantId: tenant.id,
        actor,
        action: "position.create",
        entityType: "DebtPosition",
        entityId: positionId,
        after: {
          iupd,
          subject: cmd.subject,
          options: created.map((o) => ({ nav: o.nav, amountCents: o.amountCents })),
        },
        requestId,
      });
    const position = { id: positionId, iupd, status: cmd.publish ? "VALID" : "DRAFT", options: created };
    events.push(positionCreatedEvent(tenant.id, { ...position, externalId: cmd.externalId ?? null }, now));
    results[i] = { ok: true, position };
  });

  for (let k = 0; k < positionRows.length; k += ROWS_PER_INSERT)
    await insertUnnest(tx, "debt_positions", POSITION_COLUMNS, positionRows.slice(k, k + ROWS_PER_INSERT), NOW);
  for (let k = 0; k < optionRows.length; k += ROWS_PER_INSERT)
    await insertUnnest(tx, "payment_options", OPTION_COLUMNS, optionRows.slice(k, k + ROWS_PER_INSERT), NOW);
  for (let k = 0; k < transferRows.length; k += ROWS_PER_INSERT)
    await insertUnnest(tx, "transfers", TRANSFER_COLUMNS, transferRows.slice(k, k + ROWS_PER_INSERT));
  for (let k = 0; k < audits.length; k += ROWS_PER_INSERT)
    await recordAuditMany(tx, audits.slice(k, k + ROWS_PER_INSERT));
  // In the caller's transaction, like the rows: council systems hear of exactly what was created.
  for (let k = 0; k < events.length; k += ROWS_PER_INSERT) await emitEvents(tx, events.slice(k, k + ROWS_PER_INSERT));
  return results;
}
