import { copyFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { posteDataMatrixPayload } from "../pagopa/index.ts";
import { Database } from "../platform/db/database.ts";
import { createChromiumPool } from "../platform/pdf/index.ts";
import { createPosition } from "../positions/create-position.ts";
import type { CreatePositionInput } from "../positions/position.schema.ts";
import { makeTenant } from "../test/factories.ts";
import { testConfig } from "../test/support.ts";
import type { Tenant } from "../generated/prisma/client.ts";
import { renderPositionNotice } from "./render-position-notice.ts";
import {
  decodeDataMatrix,
  decodeQrCodes,
  missingTools,
  pdfPageTexts,
  rasterize,
} from "../test/harness/notices/pdf-inspect.ts";

const missing = missingTools();
if (missing.length)
  throw new Error(`Notice tests read PDFs back with: ${missing.join(", ")}. Install them (infra/local/install.sh).`);

const actor = { type: "staff" as const, id: "notice-test" };
const option = (amountCents: number, dueDate: string) => ({
  amountCents,
  dueDate: new Date(dueDate),
  transfers: [
    { iban: "IT60X0542811101000000123456", amountCents, taxonomyCode: "9/0101002IM/", remittanceText: "TARI" },
  ],
});
const installments = (count: number, amountCents: number) =>
  Array.from({ length: count }, (_, i) =>
    option(amountCents + i, `2026-${String(i + 2).padStart(2, "0")}-16T11:00:00Z`),
  );
const debtor = {
  fiscalCode: "RSSMRA80A01H501U",
  name: "Mario Rossi",
  address: "Via Roma 12",
  city: "Borgo Fiorito",
  postalCode: "00100",
  province: "RM" as const,
};
/** Groups of four, written independently of server/pagopa's formatter. */
const grouped = (nav: string) =>
  `${nav.slice(0, 4)} ${nav.slice(4, 8)} ${nav.slice(8, 12)} ${nav.slice(12, 16)} ${nav.slice(16)}`;
const it_ = (cents: number) =>
  `${Math.floor(cents / 100).toLocaleString("de-DE")},${String(cents % 100).padStart(2, "0")}`;

describe("renderPositionNotice (PDF read back with zbar, libdmtx and poppler)", () => {
  const config = testConfig();
  const db = new Database({ url: inject("databaseUrl") });
  const pdf = createChromiumPool(config);
  const deps = { db, pdf };
  let plain: Tenant;
  let postal: Tenant;
  let bilingual: Tenant;

  beforeAll(async () => {
    plain = await makeTenant(db, {
      name: "Comune di Borgo Fiorito",
      sector: "Settore Tributi",
      info: "tributi@borgofiorito.example",
    });
    postal = await makeTenant(db, { name: "Comune di Valle Serena", postalAccount: "001012345678", cbill: "VS001" });
    bilingual = await makeTenant(db, {
      name: "Gemeinde Bergdorf - Comune di Montepaese",
      branding: { secondLanguage: "de" },
    });
  });
  afterAll(async () => {
    await pdf.close();
    await db.close();
  });

  async function readBack(
    tenant: Tenant,
    input: Omit<CreatePositionInput, "debtor" | "subject">,
    name: string,
    dataMatrixPerPage: number[] = [],
  ) {
    const created = await createPosition(
      db,
      tenant,
      { debtor, subject: "TARI 2026 - Tassa sui rifiuti", ...input },
      actor,
    );
    const out = await renderPositionNotice(deps, tenant.id, created.id);
    const raster = await rasterize(out.pdf);
    try {
      const qr = await Promise.all(raster.pages.map(decodeQrCodes));
      const dm = await Promise.all(raster.pages.map((png, i) => decodeDataMatrix(png, dataMatrixPerPage[i] ?? 0)));
      const dir = process.env.NOTICE_SCREENS_DIR;
      if (dir) {
        await mkdir(dir, { recursive: true });
        await Promise.all(raster.pages.map((png, i) => copyFile(png, path.join(dir, `${name}-${i + 1}.png`))));
      }
      const options = await db.withTenant(tenant.id, (tx) =>
        tx.paymentOption.findMany({
          where: { positionId: created.id },
          orderBy: [{ kind: "asc" }, { installmentNumber: "asc" }],
        }),
      );
      return { out, qr, dm, texts: await pdfPageTexts(out.pdf), options, created };
    } finally {
      await raster.dispose();
    }
  }
  const qrOf = (tenant: Tenant, o: { nav: string; amountCents: number }) =>
    `PAGOPA|002|${o.nav}|${tenant.fiscalCode}|${o.amountCents}`;

  it("single payment: one page, the exact QR, Italian amount and date, NAV in groups of four", async () => {
    const r = await readBack(plain, { single: option(102_099, "2026-03-31T10:00:00Z") }, "single");
    const [single] = r.options;
    expect(r.out.fileName).toBe(`avviso-${single!.nav}-${plain.ipaCode}.pdf`);
    expect(r.qr).toEqual([[qrOf(plain, single!)]]);
    const text = r.texts[0]!;
    for (const label of [
      "AVVISO DI PAGAMENTO",
      "ENTE CREDITORE",
      "DESTINATARIO AVVISO",
      "QUANTO E QUANDO PAGARE?",
      "DOVE PAGARE?",
      "Codice Avviso",
      "Cod. Fiscale Ente Creditore",
      "Codice CBILL",
    ]) {
      expect(text).toContain(label);
    }
    expect(text).toContain("1.020,99");
    expect(text).toContain("31/03/2026");
    expect(text).toContain(grouped(single!.nav));
    expect(text).toContain(plain.fiscalCode);
    expect(text).toContain("RSSMRA80A01H501U");
    expect(text).toContain("A1B2C"); // the factory's CBILL
    expect(text).not.toContain("BOLLETTINO POSTALE PA");
  });

  it("two installments: 2-up on the second page, each with its own QR", async () => {
    const r = await readBack(plain, { installments: installments(2, 25_050) }, "inst-2");
    expect(r.qr).toHaveLength(2);
    expect(r.qr[0]).toEqual([]);
    expect(new Set(r.qr[1])).toEqual(new Set(r.options.map((o) => qrOf(plain, o))));
    expect(r.texts[1]).toContain("Utilizza la porzione di avviso relativa alla rata che stai pagando");
    expect(r.texts[1]).toMatch(/RATA 1 DI 2 +RATA 2 DI 2/);
    expect(r.texts[1]).toContain("250,50");
    expect(r.texts[1]).toContain("250,51");
    expect(r.texts[1]).toContain("16/02/2026");
  });

  it("three installments: 3-up on one row", async () => {
    const r = await readBack(plain, { installments: installments(3, 10_000) }, "inst-3");
    expect(r.qr[1]).toHaveLength(3);
    expect(new Set(r.qr[1])).toEqual(new Set(r.options.map((o) => qrOf(plain, o))));
    expect(r.texts[1]).toMatch(/RATA 1 DI 3 +RATA 2 DI 3 +RATA 3 DI 3/);
    for (const o of r.options) expect(r.texts[1]).toContain(grouped(o.nav));
  });

  it("five installments: 3-up rows, the last padded, never a 2-up row on the same sheet", async () => {
    const r = await readBack(plain, { installments: installments(5, 12_345) }, "inst-5");
    expect(r.texts).toHaveLength(2);
    expect(new Set(r.qr.flat())).toEqual(new Set(r.options.map((o) => qrOf(plain, o))));
    expect(r.qr.flat()).toHaveLength(5);
    expect(r.texts[1]).toMatch(/RATA 1 DI 5 +RATA 2 DI 5 +RATA 3 DI 5/);
    expect(r.texts[1]).toMatch(/RATA 4 DI 5 +RATA 5 DI 5/);
    // The first page says how the total splits: 12345+12346+12347+12348+12349 cents.
    expect(r.texts[0]).toContain(it_(61_735));
    expect(r.texts[0]).toContain("in 5 rate, la prima entro il");
  });

  it("postal account: the Poste bulletin with a DataMatrix equal to the Poste payload", async () => {
    const r = await readBack(postal, { single: option(5_000, "2026-05-31T10:00:00Z") }, "postal", [1]);
    const [single] = r.options;
    expect(r.qr).toEqual([[qrOf(postal, single!)]]);
    const expected = posteDataMatrixPayload({
      nav: single!.nav,
      postalAccount: "001012345678",
      amountCents: 5_000,
      creditorFiscalCode: postal.fiscalCode,
      debtorFiscalCode: debtor.fiscalCode,
      debtorName: debtor.name,
      subject: "TARI 2026 - Tassa sui rifiuti",
    });
    expect(r.dm).toEqual([[expected]]);
    expect(expected).toHaveLength(256);
    expect(r.texts[0]).toContain("BOLLETTINO POSTALE PA");
    expect(r.texts[0]).toContain("001012345678");
    expect(r.texts[0]).toContain("50,00");
  });

  it("postal account with three installments: one bulletin per installment, on the same sheet", async () => {
    const r = await readBack(postal, { installments: installments(3, 7_000) }, "postal-3", [0, 3]);
    expect(new Set(r.qr[1])).toEqual(new Set(r.options.map((o) => qrOf(postal, o))));
    expect(r.dm[1]).toHaveLength(3);
    expect(new Set(r.dm[1]!.map((p) => p.slice(15, 33)))).toEqual(new Set(r.options.map((o) => o.nav)));
    for (const payload of r.dm[1]!) expect(payload).toHaveLength(256);
  });

  it("single payment and installments: the single first, installments after, and the choice said", async () => {
    const r = await readBack(
      plain,
      { single: option(30_000, "2026-01-31T10:00:00Z"), installments: installments(3, 10_000) },
      "single-inst",
    );
    const single = r.options.find((o) => o.kind === "SINGLE")!;
    expect(r.qr[0]).toEqual([qrOf(plain, single)]);
    expect(new Set(r.qr[1])).toEqual(
      new Set(r.options.filter((o) => o.kind === "INSTALLMENT").map((o) => qrOf(plain, o))),
    );
    expect(r.texts[0]).toContain("Puoi pagare in un'unica soluzione oppure a rate");
    expect(r.texts[0]).toContain("300,00");
  });

  it("bilingual council: German labels beside the Italian ones", async () => {
    const r = await readBack(
      bilingual,
      { single: option(4_200, "2026-06-30T10:00:00Z"), installments: installments(2, 2_100) },
      "bilingual",
    );
    expect(r.qr.flat()).toHaveLength(3);
    const text = r.texts.join("\n");
    for (const pair of [
      ["AVVISO DI PAGAMENTO", "ZAHLUNGSMITTEILUNG"],
      ["ENTE CREDITORE", "KÖRPERSCHAFT"],
      ["Codice Avviso", "Zahlungsmitteilungskodex"],
    ]) {
      for (const label of pair) expect(text).toContain(label);
    }
    expect(text).toContain("fällig am");
  });

  it("prints only what is still to be paid and refuses what cannot be printed", async () => {
    const created = await createPosition(
      db,
      plain,
      { debtor, subject: "Rette", installments: installments(3, 5_000) },
      actor,
    );
    await db.withTenant(plain.id, (tx) =>
      tx.paymentOption.updateMany({
        where: { positionId: created.id, installmentNumber: 1 },
        data: { status: "PAID" },
      }),
    );
    const out = await renderPositionNotice(deps, plain.id, created.id);
    expect(out.navs).toEqual(created.options.slice(1).map((o) => o.nav));
    const texts = await pdfPageTexts(out.pdf);
    expect(texts[1]).toMatch(/RATA 2 DI 3 +RATA 3 DI 3/);
    expect(texts[1]).not.toContain("RATA 1 DI 3");

    const draft = await createPosition(
      db,
      plain,
      { debtor, subject: "Bozza", publish: false, single: option(100, "2026-03-31T10:00:00Z") },
      actor,
    );
    await expect(renderPositionNotice(deps, plain.id, draft.id)).rejects.toMatchObject({
      code: "NOTICE_NOT_PRINTABLE",
    });
    await db.withTenant(plain.id, (tx) =>
      tx.paymentOption.updateMany({ where: { positionId: created.id }, data: { status: "PAID" } }),
    );
    await expect(renderPositionNotice(deps, plain.id, created.id)).rejects.toMatchObject({
      code: "NOTICE_NOTHING_TO_PAY",
    });
  });

  it("never prints another council's position (row-level security)", async () => {
    const created = await createPosition(
      db,
      plain,
      { debtor, subject: "Altro ente", single: option(100, "2026-03-31T10:00:00Z") },
      actor,
    );
    await expect(renderPositionNotice(deps, postal.id, created.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(renderPositionNotice(deps, postal.id, "not-a-uuid")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
