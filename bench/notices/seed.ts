import type { Database } from "../../server/platform/db/database.ts";
import type { Tenant } from "../../server/generated/prisma/client.ts";
import { createPosition } from "../../server/positions/create-position.ts";
import { buildNoticeView, renderNoticeDocument } from "../../server/notices/index.ts";
import { loadNoticeSources, loadPrintableNoticeTenant } from "../../server/notices/notice-print.repository.ts";

const actor = { type: "system" as const, id: "bench-notices" };
const IBAN = "IT60X0542811101000000123456";

const option = (amountCents: number, month: number) => ({
  amountCents,
  dueDate: new Date(Date.UTC(2027, month, 16, 10)),
  transfers: [{ iban: IBAN, amountCents, taxonomyCode: "9/0101002IM/", remittanceText: "TARI 2027" }],
});

/**
 * `count` TARI positions through the platform's own use case: even ones a single payment (one
 * page), odd ones a single payment plus three installments (two pages), eight at a time.
 */
export async function seedNoticePositions(
  db: Database,
  tenant: Tenant,
  count: number,
): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = new Array(count);
  let next = 0;
  let pages = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < count) {
        const i = next++;
        const total = 18_000 + (i % 500) * 37;
        const third = Math.floor(total / 3);
        const installments =
          i % 2 === 1 ? [option(third, 3), option(third, 6), option(total - 2 * third, 9)] : undefined;
        const created = await createPosition(
          db,
          tenant,
          {
            debtor: {
              fiscalCode: "RSSMRA80A01H501U",
              name: `Contribuente ${i}`,
              address: `Via Roma ${i % 200}`,
              city: "Borgo Fiorito",
              postalCode: "00100",
              province: "RM",
            },
            subject: `TARI 2027 - utenza domestica n. ${i}`,
            single: option(total, 2),
            ...(installments ? { installments } : {}),
          },
          actor,
        );
        ids[i] = created.id;
        pages += installments ? 2 : 1;
      }
    }),
  );
  return { ids, pages };
}

/** One chunk of notices already laid out as HTML: what the ceiling prints over and over. */
export async function printedDocument(
  db: Database,
  tenantId: string,
  ids: string[],
): Promise<{ html: string; notices: number; pages: number }> {
  const { tenant, sources } = await db.withTenant(tenantId, async (tx) => ({
    tenant: await loadPrintableNoticeTenant(tx, tenantId),
    sources: await loadNoticeSources(tx, tenantId, ids),
  }));
  if (!tenant) throw new Error("tenant not found");
  const views = await Promise.all(sources.flatMap((s) => (s.ok ? [buildNoticeView(tenant, s.position)] : [])));
  return {
    html: renderNoticeDocument(views),
    notices: views.length,
    pages: views.reduce((n, v) => n + v.pageCount, 0),
  };
}
