import { randomUUID } from "node:crypto";
import type { Database, Tx } from "../platform/db/database.ts";
import { AppError } from "../platform/errors.ts";
import { uuid7 } from "../platform/db/uuid7.ts";
import { recordAuditMany, type Actor } from "../audit/index.ts";
import { allocateNoticeNumbers } from "./allocate-notice-numbers.ts";
import { createPositionSchema, type CreatePositionCommand, type CreatePositionInput } from "./position.schema.ts";
import type { CreatedPosition } from "./create-position.ts";
import type { Tenant } from "../generated/prisma/client.ts";

export type BatchResult = { ok: true; position: CreatedPosition } | { ok: false; error: unknown };

/** Rows per INSERT statement: well under PostgreSQL's 65,535 bind parameters. */
const ROWS_PER_INSERT = 1_000;
/** allocateNoticeNumbers' most per call. */
const NAVS_PER_CALL = 10_000;

/**
 * `createPosition` for many positions at once, in the caller's tenant transaction, for bulk
 * imports: the same checks and the same rows (position, options, transfers, one
 * `position.create` audit entry each), but a handful of statements for the whole batch instead
 * of a handful per position: one lookup of the external ids and one of the payment types, one
 * counter reservation for every NAV, and multi-row INSERTs. An input that fails its checks gets
 * its error and is left out; the others are written. Council-given NAVs are not taken here
 * (each needs its own check): callers send those through `createPosition`.
 * Ids are made here (UUID v7, as the tables' default) so rows can be linked without a round
 * trip per row.
 */
export async function createPositionsBatch(
  db: Pick<Database, "iuvPermutationSecret">,
  tx: Tx,
  tenant: Pick<Tenant, "id" | "fiscalCode" | "segregationCode" | "auxDigit">,
  inputs: CreatePositionInput[],
  actor: Actor,
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

  const externalIds = valid.map((v) => v.cmd.externalId).filter((e): e is string => Boolean(e));
  const taken = new Set(
    externalIds.length
      ? (
          await tx.debtPosition.findMany({
            where: { tenantId: tenant.id, externalId: { in: externalIds } },
            select: { externalId: true },
          })
        ).map((p) => p.externalId)
      : [],
  );
  const codes = [...new Set(valid.map((v) => v.cmd.paymentTypeCode).filter((c): c is string => Boolean(c)))];
  const types = new Map(
    (
      await tx.paymentType.findMany({
        where: { tenantId: tenant.id, code: { in: codes } },
        select: { id: true, code: true },
      })
    ).map((t) => [t.code, t.id]),
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
      ...(await allocateNoticeNumbers(tx, tenant, Math.min(NAVS_PER_CALL, total - done), db.iuvPermutationSecret)),
    );

  const now = new Date();
  const positionRows: object[] = [];
  const optionRows: object[] = [];
  const transferRows: object[] = [];
  const audits: Parameters<typeof recordAuditMany>[1] = [];
  let next = 0;
  writable.forEach(({ i, cmd }, w) => {
    const plan = plans[w]!;
    const positionId = uuid7();
    const iupd = cmd.iupd ?? `${tenant.fiscalCode}-${randomUUID().slice(0, 23)}`;
    positionRows.push({
      id: positionId,
      tenantId: tenant.id,
      iupd,
      externalId: cmd.externalId ?? null,
      paymentTypeId: cmd.paymentTypeCode ? types.get(cmd.paymentTypeCode)! : null,
      origin: cmd.origin,
      debtorType: cmd.debtor.type,
      debtorFiscalCode: cmd.debtor.fiscalCode,
      debtorName: cmd.debtor.name,
      debtorEmail: cmd.debtor.email ?? null,
      debtorAddress: cmd.debtor.address ?? null,
      debtorCity: cmd.debtor.city ?? null,
      debtorPostalCode: cmd.debtor.postalCode ?? null,
      debtorProvince: cmd.debtor.province ?? null,
      subject: cmd.subject,
      status: cmd.publish ? "VALID" : "DRAFT",
      validFrom: cmd.validFrom ?? null,
      dueDate: new Date(Math.max(...plan.map((p) => p.option.dueDate.getTime()))),
      data: cmd.data as object,
      publishedAt: cmd.publish ? now : null,
    });
    const created: CreatedPosition["options"] = [];
    for (const step of plan) {
      const { nav, iuv } = numbers[next++]!;
      const optionId = uuid7();
      optionRows.push({
        id: optionId,
        tenantId: tenant.id,
        positionId,
        kind: step.kind,
        installmentNumber: step.n,
        installmentCount: step.kind === "INSTALLMENT" ? plan.length - (cmd.single ? 1 : 0) : null,
        nav,
        iuv,
        amountCents: step.option.amountCents,
        description: step.option.description ?? null,
        dueDate: step.option.dueDate,
        expiresAt: step.option.expiresAt ?? null,
      });
      step.option.transfers.forEach((t, index) =>
        transferRows.push({
          id: uuid7(),
          tenantId: tenant.id,
          optionId,
          index: index + 1,
          beneficiaryFiscalCode: t.beneficiaryFiscalCode ?? tenant.fiscalCode,
          iban: t.iban?.replace(/\s+/g, "").toUpperCase() ?? null,
          isPostalIban: t.isPostalIban,
          stampType: t.stamp?.type ?? null,
          stampDocumentHash: t.stamp?.documentHash ?? null,
          stampProvince: t.stamp?.province ?? null,
          amountCents: t.amountCents,
          taxonomyCode: t.taxonomyCode,
          remittanceText: t.remittanceText,
          metadata: t.metadata,
        }),
      );
      created.push({
        id: optionId,
        nav,
        iuv,
        amountCents: step.option.amountCents,
        dueDate: step.option.dueDate,
        installmentNumber: step.n,
      });
    }
    audits.push({
      tenantId: tenant.id,
      actor,
      action: "position.create",
      entityType: "DebtPosition",
      entityId: positionId,
      after: { iupd, subject: cmd.subject, options: created.map((o) => ({ nav: o.nav, amountCents: o.amountCents })) },
    });
    results[i] = {
      ok: true,
      position: { id: positionId, iupd, status: cmd.publish ? "VALID" : "DRAFT", options: created },
    };
  });

  for (let k = 0; k < positionRows.length; k += ROWS_PER_INSERT)
    await tx.debtPosition.createMany({ data: positionRows.slice(k, k + ROWS_PER_INSERT) as never });
  for (let k = 0; k < optionRows.length; k += ROWS_PER_INSERT)
    await tx.paymentOption.createMany({ data: optionRows.slice(k, k + ROWS_PER_INSERT) as never });
  for (let k = 0; k < transferRows.length; k += ROWS_PER_INSERT)
    await tx.transfer.createMany({ data: transferRows.slice(k, k + ROWS_PER_INSERT) as never });
  for (let k = 0; k < audits.length; k += ROWS_PER_INSERT)
    await recordAuditMany(tx, audits.slice(k, k + ROWS_PER_INSERT));
  return results;
}
