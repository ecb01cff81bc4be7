import { z } from "zod";
import type { Database } from "../../platform/db/database.ts";
import type { AdhesionStep, Prisma } from "../../generated/prisma/client.ts";
import { ADHESION_STEPS, OWNER_LABELS, stepInfo } from "./steps.ts";

const STEP_NAMES = ADHESION_STEPS.map((s) => s.step) as [AdhesionStep, ...AdhesionStep[]];

export const boardQuerySchema = z.object({
  q: z.string().trim().max(100).optional().catch(undefined),
  step: z.enum(STEP_NAMES).optional().catch(undefined),
  owner: z.enum(["council", "region"]).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
});
export type BoardQuery = z.input<typeof boardQuerySchema>;

export const BOARD_PAGE_SIZE = 25;

/**
 * The helpdesk's board: every adhesion request with its step, who it waits for (council or
 * Region) and what for, oldest-waiting first, searchable by name or IPA code, a page at a time
 * (indexed on step and last change, so it stays quick with hundreds of requests).
 */
export async function adhesionBoard(db: Database, query: BoardQuery) {
  const q = boardQuerySchema.parse(query);
  const ownerSteps = q.owner ? ADHESION_STEPS.filter((s) => s.owner === q.owner).map((s) => s.step) : undefined;
  const where: Prisma.AdhesionRequestWhereInput = {
    ...(q.q
      ? { OR: [{ name: { contains: q.q, mode: "insensitive" } }, { ipaCode: { contains: q.q.toLowerCase() } }] }
      : {}),
    ...(q.step ? { step: q.step } : ownerSteps ? { step: { in: ownerSteps } } : {}),
  };
  return db.withPlatformScope("adhesion: the helpdesk board", async (tx) => {
    const [total, rows, byStep] = await Promise.all([
      tx.adhesionRequest.count({ where }),
      tx.adhesionRequest.findMany({
        where,
        orderBy: [{ updatedAt: "asc" }, { ipaCode: "asc" }],
        skip: (q.page - 1) * BOARD_PAGE_SIZE,
        take: BOARD_PAGE_SIZE,
        select: { ipaCode: true, name: true, step: true, origin: true, updatedAt: true, contactEmail: true },
      }),
      tx.adhesionRequest.groupBy({ by: ["step"], _count: { _all: true } }),
    ]);
    const counts = new Map(byStep.map((s) => [s.step, s._count._all]));
    return {
      query: q,
      total,
      page: q.page,
      pages: Math.max(1, Math.ceil(total / BOARD_PAGE_SIZE)),
      rows: rows.map((r) => {
        const info = stepInfo(r.step);
        return {
          ...r,
          stepLabel: info.label,
          owner: info.owner,
          ownerLabel: OWNER_LABELS[info.owner],
          waitingFor: info.waitingFor,
        };
      }),
      steps: ADHESION_STEPS.map((s) => ({ ...s, count: counts.get(s.step) ?? 0 })),
    };
  });
}

/** One request with its steps (done, current, to do), for the request's page. */
export async function adhesionDetail(db: Database, ipaCode: string) {
  return db.withPlatformScope("adhesion: a request's page", async (tx) => {
    const r = await tx.adhesionRequest.findUnique({
      where: { ipaCode: ipaCode.toLowerCase() },
      omit: { letterFile: true },
    });
    if (!r) return null;
    const at = ADHESION_STEPS.findIndex((s) => s.step === r.step);
    const history = await tx.auditLog.findMany({
      where: { entityType: "AdhesionRequest", entityId: r.id },
      orderBy: { at: "asc" },
      select: { action: true, actorId: true, at: true, before: true, after: true },
    });
    return {
      request: r,
      steps: ADHESION_STEPS.map((s, i) => ({
        ...s,
        ownerLabel: OWNER_LABELS[s.owner],
        state: i < at ? "done" : i === at ? "current" : "todo",
      })),
      history,
    };
  });
}
