import { z } from "zod";
import { FastTx } from "../../platform/db/fast-sql.ts";
import type { AnyTx } from "../../platform/db/raw-sql.ts";
import type { CreatePositionInput, PositionLookup } from "../../positions/index.ts";
import { endOfRomeDay, startOfRomeDay } from "../../pagopa/index.ts";
import { AppError } from "../../platform/errors.ts";
import {
  createPosition,
  createPositionsBatch,
  findPosition,
  listPositions,
  markPositionPaid,
  readPositionSnapshot,
  reserveNoticeNumbersApart,
  updatePosition,
  cancelPosition,
  type ReservedNumbers,
} from "../../positions/index.ts";
import {
  defineOperation,
  machineActor,
  type Bilingual,
  type OperationContext,
  type ResponseSpec,
} from "../operation.ts";
import { createInput, paymentStatusView, positionView, transferInput } from "../position-view.ts";
import { ipaParams } from "../schemas/common.ts";
import { CREATE_POSITION_EXAMPLE as EXAMPLE } from "../schemas/positions.example.ts";
import {
  createPositionBody,
  createPositionsBatchBody,
  createdPositionsOut,
  markPaidBody,
  paymentStatusOut,
  positionListQuery,
  positionOut,
  positionPage,
  reasonBody,
  updatePositionBody,
} from "../schemas/positions.schema.ts";

const BASE = "/tenants/:ipa";
const positionParams = ipaParams.extend({ positionId: z.string().max(64) });
const ok = (it: string, en: string, schema: z.ZodType): Record<number, ResponseSpec> => ({
  200: { description: { it, en }, schema },
});

/** The position as it now is, as a 200 answer: what every read and change of one position returns. */
const currentView = async (ctx: OperationContext<unknown, unknown, unknown>, by: PositionLookup) => ({
  status: 200,
  body: positionView(await findPosition(ctx.deps.db, ctx.tenant.id, by)),
});

/** A read of one position: the four ways of naming it differ only in their path and lookup. */
function readPositionBy<P extends z.ZodObject<z.ZodRawShape>>(spec: {
  operationId: string;
  path: string;
  summary: Bilingual;
  params: P;
  lookup: (params: z.output<P>) => PositionLookup;
}) {
  return defineOperation({
    operationId: spec.operationId,
    method: "get",
    path: spec.path,
    tag: "positions",
    role: "positions.read",
    summary: spec.summary,
    params: spec.params,
    responses: ok("La posizione", "The position", positionOut),
    handle: (ctx) => currentView(ctx, spec.lookup(ctx.params)),
  });
}

/**
 * The batch in the caller's transaction, all or none: positions without council-given NAVs go
 * through `createPositionsBatch` (one NAV reservation and multi-row INSERTs for all of them; it
 * writes their `position.created` events in the same transaction); a batch naming its own NAVs is
 * created one position at a time (each NAV checked by `createPosition`). The first refused
 * position fails the batch, named by its index.
 */
async function createBatch(
  ctx: OperationContext<unknown, unknown, unknown>,
  tx: AnyTx,
  inputs: CreatePositionInput[],
  numbers?: ReservedNumbers,
) {
  const { deps, tenant } = ctx;
  const actor = machineActor(ctx);
  const named = (i: number, err: unknown): never => {
    if (err instanceof AppError)
      throw new AppError(err.code, `positions[${i}]: ${err.message}`, err.status, err.details);
    throw err;
  };
  if (suppliesNavs(inputs)) {
    if (tx instanceof FastTx) throw new Error("Council-given NAVs go through createPosition, in a Prisma transaction");
    const out = [];
    for (const [i, input] of inputs.entries())
      out.push(
        await createPosition(deps.db, tenant, input, actor, { tx, requestId: ctx.requestId }).catch((e: unknown) =>
          named(i, e),
        ),
      );
    return out.map((p, i) => ({ ...p, externalId: inputs[i]!.externalId ?? null }));
  }
  const results = await createPositionsBatch(deps.db, tx, tenant, inputs, actor, ctx.requestId, {
    reserveNumbers: numbers,
  });
  const created = results.map((r, i) =>
    r.ok ? { ...r.position, externalId: inputs[i]!.externalId ?? null } : named(i, r.error),
  );
  return created;
}

/**
 * The options these inputs ask NAVs for, reserved before the writing transaction opens
 * (reserveNoticeNumbersApart: concurrent requests of one council do not queue on its counter).
 */
const optionsOf = (inputs: CreatePositionInput[]) =>
  inputs.reduce((n, p) => n + (p.single ? 1 : 0) + (p.installments?.length ?? 0), 0);

const suppliesNavs = (inputs: CreatePositionInput[]) =>
  inputs.some((p) => [p.single, ...(p.installments ?? [])].some((o) => o?.nav));

/**
 * The batch's transaction: on pg (`Database.sql`, no Prisma engine: docs/decisions/0004) unless
 * a position names its own NAV, which `createPosition` checks one at a time in a Prisma one.
 */
function inBatchTx<T>(
  ctx: OperationContext<unknown, unknown, unknown>,
  inputs: CreatePositionInput[],
  fn: (tx: AnyTx) => Promise<T>,
) {
  const { db } = ctx.deps;
  return suppliesNavs(inputs)
    ? db.withTenant(ctx.tenant.id, fn, { timeout: 60_000 })
    : db.sql.withTenant(ctx.tenant.id, fn, { timeoutMs: 60_000 });
}

/**
 * The unique violation when two requests without an Idempotency-Key race on one externalId or
 * NAV: Prisma's P2002 (its target names the columns) or pg's 23505 (its constraint names them).
 */
function duplicate(err: unknown): never {
  const e = err as { code?: string; constraint?: string; meta?: { target?: unknown } };
  if (e?.code === "P2002" || e?.code === "23505") {
    const target = String(e.meta?.target ?? e.constraint ?? "");
    if (target.includes("nav")) throw new AppError("NAV_TAKEN", "Il numero avviso è già usato", 409);
    throw new AppError("POSITION_DUPLICATE", "Una posizione con questo externalId esiste già", 409);
  }
  throw err;
}

export const positionOperations = [
  defineOperation({
    operationId: "createPosition",
    method: "post",
    path: `${BASE}/positions`,
    tag: "positions",
    role: "positions.write",
    summary: { it: "Crea una posizione debitoria", en: "Create a debt position" },
    description: {
      it: "Unica soluzione e/o piano rateale, da 1 a 5 versamenti per opzione (multibeneficiario, conto postale, marca da bollo digitale). I numeri avviso li assegna PontePA, oppure l'ente nel proprio codice di segregazione.",
      en: "Single payment and/or installment plan, 1 to 5 transfers per option (multi-beneficiary, postal account, digital stamp). Notice numbers are issued by PontePA, or by the council within its segregation code.",
    },
    params: ipaParams,
    body: createPositionBody,
    example: EXAMPLE,
    responses: { 201: { description: { it: "Posizione creata", en: "Position created" }, schema: positionOut } },
    async handle(ctx) {
      const { deps, tenant } = ctx;
      const input = createInput(ctx.body);
      if (suppliesNavs([input])) {
        const created = await createPosition(deps.db, tenant, input, machineActor(ctx), {
          requestId: ctx.requestId,
        }).catch(duplicate);
        return { status: 201, body: positionView(await findPosition(deps.db, tenant.id, { id: created.id })) };
      }
      // One position is a batch of one on pg (no Prisma engine, docs/decisions/0004). Its answer
      // is read back after the commit, also on pg: not inside the transaction, which holds the
      // council's NAV counter row until it ends and so serialises concurrent creations.
      const numbers = await reserveNoticeNumbersApart(deps.db, tenant, optionsOf([input]));
      const created = await inBatchTx(ctx, [input], async (tx) => {
        const [r] = await createPositionsBatch(deps.db, tx, tenant, [input], machineActor(ctx), ctx.requestId, {
          reserveNumbers: numbers,
        });
        if (!r!.ok) throw r!.error;
        return r!.position;
      }).catch(duplicate);
      const snapshot = await readPositionSnapshot(deps.db, tenant.id, created.id);
      if (!snapshot) throw new AppError("NOT_FOUND", "Posizione non trovata", 404);
      return { status: 201, body: positionView(snapshot) };
    },
  }),
  defineOperation({
    operationId: "createPositionsBatch",
    method: "post",
    path: `${BASE}/positions/batch`,
    tag: "positions",
    role: "positions.write",
    summary: { it: "Crea fino a 100 posizioni in una chiamata", en: "Create up to 100 positions in one call" },
    description: {
      it: "Tutte in una transazione: se una è rifiutata (es. externalId già presente) non ne è creata nessuna, e l'errore la indica.",
      en: "All in one transaction: if one is refused (e.g. an existing externalId) none is created, and the error names it.",
    },
    params: ipaParams,
    body: createPositionsBatchBody,
    example: { positions: [EXAMPLE] },
    responses: {
      201: { description: { it: "Posizioni create", en: "Positions created" }, schema: createdPositionsOut },
    },
    async handle(ctx) {
      const inputs = ctx.body.positions.map(createInput);
      const numbers = suppliesNavs(inputs)
        ? undefined
        : await reserveNoticeNumbersApart(ctx.deps.db, ctx.tenant, optionsOf(inputs));
      const items = await inBatchTx(ctx, inputs, (tx) => createBatch(ctx, tx, inputs, numbers)).catch(duplicate);
      return {
        status: 201,
        body: {
          items: items.map((p) => ({
            id: p.id,
            iupd: p.iupd,
            externalId: p.externalId,
            options: p.options.map((o) => ({
              nav: o.nav,
              iuv: o.iuv,
              amountCents: o.amountCents,
              installmentNumber: o.installmentNumber,
            })),
          })),
        },
      };
    },
  }),
  defineOperation({
    operationId: "listPositions",
    method: "get",
    path: `${BASE}/positions`,
    tag: "positions",
    role: "positions.read",
    summary: {
      it: "Elenca e filtra le posizioni (paginazione a cursore)",
      en: "List and filter positions (cursor paging)",
    },
    params: ipaParams,
    query: positionListQuery,
    responses: ok("Una pagina di posizioni, dalla più recente", "A page of positions, newest first", positionPage),
    async handle(ctx) {
      const q = ctx.query;
      const page = await listPositions(ctx.deps.db, ctx.tenant.id, {
        status: q.status,
        paymentTypeCode: q.paymentTypeCode,
        debtorFiscalCode: q.debtorFiscalCode,
        dueFrom: q.dueFrom ? startOfRomeDay(q.dueFrom) : undefined,
        dueTo: q.dueTo ? endOfRomeDay(q.dueTo) : undefined,
        createdFrom: q.createdFrom ? new Date(q.createdFrom) : undefined,
        createdTo: q.createdTo ? new Date(q.createdTo) : undefined,
        after: q.cursor,
        limit: q.limit,
      });
      const now = new Date();
      return { status: 200, body: { items: page.items.map((p) => positionView(p, now)), nextCursor: page.nextAfter } };
    },
  }),
  readPositionBy({
    operationId: "getPositionByExternalId",
    path: `${BASE}/positions/by-external-id/:externalId`,
    summary: {
      it: "Legge una posizione dall'identificativo dell'ente (IUD)",
      en: "Read a position by the council's id (IUD)",
    },
    params: ipaParams.extend({ externalId: z.string().min(1).max(64) }),
    lookup: (p) => ({ externalId: p.externalId }),
  }),
  readPositionBy({
    operationId: "getPositionByIuv",
    path: `${BASE}/positions/by-iuv/:iuv`,
    summary: { it: "Legge una posizione dallo IUV", en: "Read a position by IUV" },
    params: ipaParams.extend({ iuv: z.string().max(35) }),
    lookup: (p) => ({ iuv: p.iuv }),
  }),
  readPositionBy({
    operationId: "getPositionByNav",
    path: `${BASE}/notices/:nav`,
    summary: { it: "Legge la posizione di un numero avviso", en: "Read the position of a notice number" },
    params: ipaParams.extend({ nav: z.string().max(18) }),
    lookup: (p) => ({ nav: p.nav }),
  }),
  readPositionBy({
    operationId: "getPosition",
    path: `${BASE}/positions/:positionId`,
    summary: { it: "Legge una posizione", en: "Read a position" },
    params: positionParams,
    lookup: (p) => ({ id: p.positionId }),
  }),
  defineOperation({
    operationId: "updatePosition",
    method: "patch",
    path: `${BASE}/positions/:positionId`,
    tag: "positions",
    role: "positions.write",
    summary: { it: "Modifica una posizione non pagata", en: "Change an unpaid position" },
    description: {
      it: "Oggetto, debitore e, per avviso, importo, scadenza e versamenti. 409 con il motivo se un prestatore ha attivato il pagamento, se è già pagata o non è più aperta.",
      en: "Subject, debtor and, per notice, amount, due date and transfers. 409 with the reason while a PSP holds an activation, once paid, or when no longer open.",
    },
    params: positionParams,
    body: updatePositionBody,
    example: { options: [{ nav: "301000000000012345", amountCents: 32000, dueDate: "2027-07-31" }] },
    responses: ok("La posizione modificata", "The changed position", positionOut),
    async handle(ctx) {
      const { deps, tenant, body } = ctx;
      await updatePosition(
        deps.db,
        tenant,
        ctx.params.positionId,
        {
          subject: body.subject,
          debtor: body.debtor,
          options: body.options?.map((o) => ({
            nav: o.nav,
            amountCents: o.amountCents,
            dueDate: o.dueDate ? endOfRomeDay(o.dueDate) : undefined,
            expiresAt: o.expiresAt === undefined ? undefined : o.expiresAt ? endOfRomeDay(o.expiresAt) : null,
            description: o.description,
            transfers: o.transfers?.map(transferInput),
          })),
        },
        machineActor(ctx),
        ctx.requestId,
      );
      return currentView(ctx, { id: ctx.params.positionId });
    },
  }),
  defineOperation({
    operationId: "cancelPosition",
    method: "post",
    path: `${BASE}/positions/:positionId/cancel`,
    tag: "positions",
    role: "positions.write",
    summary: { it: "Annulla una posizione", en: "Cancel a position" },
    params: positionParams,
    body: reasonBody,
    responses: ok("La posizione annullata", "The cancelled position", positionOut),
    async handle(ctx) {
      const { deps, tenant } = ctx;
      const position = await findPosition(deps.db, tenant.id, { id: ctx.params.positionId });
      await cancelPosition(deps.db, tenant.id, position.id, ctx.body.reason, machineActor(ctx), ctx.requestId);
      return currentView(ctx, { id: position.id });
    },
  }),
  defineOperation({
    operationId: "markPositionPaid",
    method: "post",
    path: `${BASE}/positions/:positionId/mark-paid`,
    tag: "positions",
    role: "positions.write",
    summary: {
      it: "Segna pagata fuori pagoPA (es. contanti allo sportello)",
      en: "Mark paid outside pagoPA (e.g. cash at the counter)",
    },
    params: positionParams,
    body: markPaidBody,
    responses: ok("La posizione pagata", "The paid position", positionOut),
    async handle(ctx) {
      const { deps, tenant, body } = ctx;
      await markPositionPaid(
        deps.db,
        tenant.id,
        ctx.params.positionId,
        { reason: body.reason, nav: body.nav, paidAt: body.paidAt ? new Date(body.paidAt) : undefined },
        machineActor(ctx),
        ctx.requestId,
      );
      return currentView(ctx, { id: ctx.params.positionId });
    },
  }),
  defineOperation({
    operationId: "getPositionPaymentStatus",
    method: "get",
    path: `${BASE}/positions/:positionId/payment-status`,
    tag: "positions",
    role: "positions.read",
    summary: { it: "Stato dei pagamenti e ricevute di una posizione", en: "Payment status and receipts of a position" },
    params: positionParams,
    responses: ok("Stato e ricevute", "Status and receipts", paymentStatusOut),
    async handle(ctx) {
      return {
        status: 200,
        body: paymentStatusView(await findPosition(ctx.deps.db, ctx.tenant.id, { id: ctx.params.positionId })),
      };
    },
  }),
];
