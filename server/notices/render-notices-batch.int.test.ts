import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Database } from "../platform/db/database.ts";
import { createChromiumPool } from "../platform/pdf/index.ts";
import { createPosition } from "../positions/create-position.ts";
import type { CreatePositionInput } from "../positions/position.schema.ts";
import { makeTenant } from "../test/factories.ts";
import { testConfig } from "../test/support.ts";
import type { Tenant } from "../generated/prisma/client.ts";
import { renderNoticesBatch, type NoticeChunk } from "./render-notices-batch.ts";
import { splitNoticeChunk } from "./split-notice-chunk.ts";
import { missingTools, pdfPageTexts } from "../test/harness/notices/pdf-inspect.ts";

const missing = missingTools();
if (missing.length)
  throw new Error(`Notice tests read PDFs back with: ${missing.join(", ")}. Install them (infra/local/install.sh).`);

const actor = { type: "staff" as const, id: "batch-test" };
const debtor = { fiscalCode: "RSSMRA80A01H501U", name: "Mario Rossi" };
const option = (amountCents: number, month: number) => ({
  amountCents,
  dueDate: new Date(Date.UTC(2026, month, 15, 10)),
  transfers: [
    { iban: "IT60X0542811101000000123456", amountCents, taxonomyCode: "9/0101002IM/", remittanceText: "TARI" },
  ],
});
/** A mix of one-page (single) and two-page (installments) notices, so page offsets matter. */
const shape = (i: number): Omit<CreatePositionInput, "debtor" | "subject"> =>
  i % 3 === 2
    ? { installments: [option(5_000 + i, 2), option(5_000 + i, 3), option(5_000 + i, 4)] }
    : { single: option(10_000 + i, 5) };
/** Groups of four, written independently of server/pagopa's formatter. */
const grouped = (nav: string) => nav.replace(/(\d{4})(?=\d)/g, "$1 ");

describe("notice batches (streamed chunks, merged PDFs, Chromium killed mid-batch)", () => {
  const db = new Database({ url: inject("databaseUrl") });
  const pdf = createChromiumPool(testConfig({ PDF_MAX_PAGES: "2" }));
  const deps = { db, pdf };
  let tenant: Tenant;
  let navsById: Map<string, string[]>;

  beforeAll(async () => {
    tenant = await makeTenant(db, { name: "Comune di Borgo Fiorito" });
    navsById = new Map();
    for (let i = 0; i < 24; i++) {
      const created = await createPosition(db, tenant, { debtor, subject: `TARI 2026 n. ${i}`, ...shape(i) }, actor);
      navsById.set(
        created.id,
        created.options.map((o) => o.nav),
      );
    }
  });
  afterAll(async () => {
    await pdf.close();
    await db.close();
  });

  /** Each notice's pages hold exactly its own notice numbers. */
  async function expectPagesMatch(chunk: { pdf: Buffer | null; notices: NoticeChunk["notices"] }) {
    const pages = await pdfPageTexts(chunk.pdf!);
    for (const notice of chunk.notices) {
      const own = pages.slice(notice.firstPage - 1, notice.firstPage - 1 + notice.pageCount).join("\n");
      for (const nav of navsById.get(notice.positionId)!) expect(own).toContain(grouped(nav));
      const rest = [
        ...pages.slice(0, notice.firstPage - 1),
        ...pages.slice(notice.firstPage - 1 + notice.pageCount),
      ].join("\n");
      for (const nav of navsById.get(notice.positionId)!) expect(rest).not.toContain(grouped(nav));
    }
  }

  it("delivers every printable position exactly once, in order, even when Chromium is killed twice mid-render", async () => {
    // Kill the browser while a chunk is printing: once early, once later in the batch.
    const killed = new Set<number>();
    const killer = setInterval(() => {
      const { busyPages, renders, browserPid } = pdf.stats();
      const due = killed.size === 0 ? renders >= 1 : renders >= 4;
      if (busyPages > 0 && due && browserPid && !killed.has(browserPid) && killed.size < 2) {
        killed.add(browserPid);
        process.kill(browserPid, "SIGKILL");
      }
    }, 2);
    const chunks: NoticeChunk[] = [];
    try {
      for await (const chunk of renderNoticesBatch(deps, tenant.id, {}, { chunkSize: 4, concurrency: 2 }))
        chunks.push(chunk);
    } finally {
      clearInterval(killer);
    }
    expect(killed.size).toBe(2);
    const stats = pdf.stats();
    expect(stats.crashes).toBe(2);
    expect(stats.retries).toBeGreaterThanOrEqual(1); // an interrupted render was printed again
    expect(chunks.map((c) => c.part)).toEqual([1, 2, 3, 4, 5, 6]);
    const delivered = chunks.flatMap((c) => c.notices.map((n) => n.positionId));
    expect(delivered).toEqual([...navsById.keys()].sort()); // uuid v7: creation order
    expect(new Set(delivered).size).toBe(24);
    for (const chunk of chunks) {
      expect(chunk.fileName).toMatch(
        new RegExp(`^avvisi-${tenant.ipaCode}-\\d{4}-\\d{2}-\\d{2}-000${chunk.part}\\.pdf$`),
      );
      expect(chunk.pageCount).toBe(chunk.notices.reduce((n, x) => n + x.pageCount, 0));
      await expectPagesMatch(chunk);
    }
  });

  it("splits a chunk into one file per position named for its notice", async () => {
    const [first] = await firstChunk();
    const files = await splitNoticeChunk(first!);
    expect(files.map((f) => f.positionId)).toEqual(first!.notices.map((n) => n.positionId));
    for (const file of files) {
      expect(file.fileName).toBe(`avviso-${file.navs[0]}-${tenant.ipaCode}.pdf`);
      const text = (await pdfPageTexts(file.pdf)).join("\n");
      for (const nav of navsById.get(file.positionId)!) expect(text).toContain(grouped(nav));
    }
  });

  async function firstChunk(): Promise<NoticeChunk[]> {
    for await (const chunk of renderNoticesBatch(deps, tenant.id, {}, { chunkSize: 3 })) return [chunk];
    return [];
  }
});
