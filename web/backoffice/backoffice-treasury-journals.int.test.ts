import { afterAll, beforeAll, describe, expect, test } from "vitest";
import yazl from "yazl";
import { makeTenant } from "../../server/test/factories.ts";
import { classificationFixture } from "../../server/test/harness/reconciliation/classification-fixture.ts";
import { ingestReportingFlow } from "../../server/reconciliation/index.ts";
import type { Tenant } from "../../server/generated/prisma/client.ts";
import {
  principal,
  sessionFor,
  startBackoffice,
  type Harness,
} from "../../server/test/harness/backoffice/backoffice-harness.ts";

const FLOW = "2026-11-21BDPSIMIT-GC1";

async function zipOf(name: string, content: Buffer): Promise<Buffer> {
  const z = new yazl.ZipFile();
  z.addBuffer(content, name);
  z.end();
  const chunks: Buffer[] = [];
  for await (const c of z.outputStream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/**
 * A council's staff upload the treasurer's journal from the reconciliation section: a CSV with
 * the credit of a held flow, a credit without pagoPA reference and a row that cannot be read.
 */
describe("back-office: treasury journal upload", () => {
  let h: Harness;
  let t: Tenant;
  let other: Tenant;
  let operator: { cookie: string; csrf: string };
  let viewer: { cookie: string; csrf: string };
  let journal: Buffer;
  let paidIuv = "";

  beforeAll(async () => {
    h = await startBackoffice({ env: { TREASURY_MAX_BYTES: String(64 * 1024) } });
    t = await makeTenant(h.deps.db, { name: "Comune del Giornale" });
    other = await makeTenant(h.deps.db, { name: "Comune Accanto" });
    const fx = classificationFixture(h.deps.db, t);
    paidIuv = await fx.debt(5300);
    const rt = await fx.receipt(paidIuv, 5300);
    await ingestReportingFlow(h.deps.db, t, fx.flow(FLOW, [rt]));
    journal = Buffer.from(
      "data_valuta;importo_centesimi;causale;trn\n" +
        `2026-11-22;5300;${fx.credit(FLOW)};TRN-GC-1\n` +
        "2026-11-22;9900;CANONE SALA CIVICA;TRN-GC-2\n" +
        "2026-11-22;non-un-importo;RIGA ROTTA;TRN-GC-3\n",
    );
    operator = await sessionFor(h, principal("op.giornale", [], { [t.ipaCode]: ["operator"] }));
    viewer = await sessionFor(h, principal("viewer.giornale", [], { [t.ipaCode]: ["viewer"] }));
  });
  afterAll(async () => {
    await h.stop();
  });

  const base = (ipa = t.ipaCode) => `${h.base}/backoffice/enti/${ipa}/riconciliazione/giornali`;
  const get = (who: { cookie: string }, url: string) =>
    fetch(url, { redirect: "manual", headers: { cookie: who.cookie, accept: "text/html" } });
  const upload = (who: { cookie: string; csrf: string }, content: Buffer, name = "giornale.csv", csrf = who.csrf) => {
    const form = new FormData();
    form.append("_csrf", csrf);
    form.append("file", new Blob([new Uint8Array(content)]), name);
    return fetch(base(), {
      method: "POST",
      redirect: "manual",
      headers: { cookie: who.cookie, accept: "text/html" },
      body: form,
    });
  };
  const imports = () => h.deps.db.withTenant(t.id, (tx) => tx.treasuryImport.count());

  test("an operator uploads a journal: the page shows what was read, matched and refused, with links to the credits; audited", async () => {
    const res = await upload(operator, journal);
    expect(res.status).toBe(303);
    const location = res.headers.get("location")!;
    expect(location).toMatch(/\/riconciliazione\/giornali\/[0-9a-f-]{36}\?esito=importato$/);
    const page = await get(viewer, new URL(location, h.base).toString());
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Giornale di cassa importato.");
    expect(html).toMatch(/data-testid="journal-format">CSV</);
    expect(html).toMatch(/data-testid="journal-read">2</);
    expect(html).toMatch(/data-testid="journal-matched">1</);
    expect(html).toMatch(/data-testid="journal-unmatched">1: Senza riferimento pagoPA 1;/);
    expect(html).toMatch(/data-testid="journal-refused">1</);
    expect(html).toContain("non-un-importo");

    const credits = await h.deps.db.withTenant(t.id, (tx) =>
      tx.treasuryCredit.findMany({ orderBy: { amountCents: "asc" } }),
    );
    expect(credits.map((c) => [c.amountCents, c.status])).toEqual([
      [5300, "MATCHED"],
      [9900, "NO_PAGOPA_REFERENCE"],
    ]);
    for (const c of credits) expect(html).toContain(`/riconciliazione/accrediti/${c.id}"`);
    const code = await h.deps.db.withTenant(t.id, (tx) =>
      tx.paymentClassification.findFirstOrThrow({ where: { subjectKind: "PAYMENT", subject: paidIuv } }),
    );
    expect(code.code).toBe("IUD_RT_IUF_TES");
    const audit = await h.deps.db.withTenant(t.id, (tx) =>
      tx.auditLog.findFirstOrThrow({ where: { action: "treasury.import" } }),
    );
    expect(audit).toMatchObject({ actorId: "op.giornale", after: { fileName: "giornale.csv", source: "BACKOFFICE" } });

    const list = await (await get(viewer, base())).text();
    expect(list).toContain("giornale.csv");
    expect(list).toContain("back-office");
    expect(list).not.toContain('data-testid="journal-form"'); // a viewer reads, does not upload
  });

  test("the same file again changes nothing and leads to the earlier import", async () => {
    const before = await imports();
    const first = await h.deps.db.withTenant(t.id, (tx) => tx.treasuryImport.findFirstOrThrow());
    const res = await upload(operator, journal, "di-nuovo.csv");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toMatch(new RegExp(`/giornali/${first.id}\\?gia-caricato=1$`));
    expect(await imports()).toBe(before);
    const html = await (await get(operator, new URL(res.headers.get("location")!, h.base).toString())).text();
    expect(html).toContain("era già stato importato");
  });

  test("refused: a viewer, a stale form, a file that is no journal, one too large, a zip bomb; errors linked to the field", async () => {
    const before = await imports();
    expect((await upload(viewer, journal)).status).toBe(403);
    expect((await upload(operator, Buffer.from("x"), "a.csv", "sbagliato")).status).toBe(403);

    const pdf = await upload(operator, Buffer.from("%PDF-1.4"), "estratto.pdf");
    expect(pdf.status).toBe(422);
    const html = await pdf.text();
    expect(html).toContain('href="#file"');
    expect(html).toContain('aria-describedby="file-errore"');
    expect(html).toContain("Tipo di file non ammesso");

    const unreadable = await upload(operator, Buffer.from("colonna;altra\n1;2\n"), "strano.csv");
    expect(unreadable.status).toBe(422);
    expect(await unreadable.text()).toContain("Header mancanti");

    expect((await upload(operator, Buffer.alloc(65 * 1024, 65), "grande.csv")).status).toBe(413);

    const bomb = await zipOf("xl/worksheets/sheet1.xml", Buffer.alloc(2 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(64 * 1024);
    const refused = await upload(operator, bomb, "estratto.xlsx");
    expect(refused.status).toBe(422);
    expect(await refused.text()).toMatch(/supera la dimensione massima|Rapporto di compressione/);
    expect(await imports()).toBe(before);
  });

  test("another council's import is not found; a malformed id neither", async () => {
    const mine = await h.deps.db.withTenant(t.id, (tx) => tx.treasuryImport.findFirstOrThrow());
    const outsider = await sessionFor(h, principal("op.accanto", [], { [other.ipaCode]: ["operator"] }));
    expect((await get(outsider, `${base(other.ipaCode)}/${mine.id}`)).status).toBe(404);
    expect((await get(operator, `${base()}/non-un-id`)).status).toBe(404);
  });
});
