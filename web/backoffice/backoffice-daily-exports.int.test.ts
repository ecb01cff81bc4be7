import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { makeTenant } from "../../server/test/factories.ts";
import { createPosition } from "../../server/positions/index.ts";
import { registerReceipt } from "../../server/positions/register-receipt.ts";
import { writeDailyExports } from "../../server/exports/index.ts";
import { silentLogger } from "../../server/test/import-fixtures.ts";
import {
  principal,
  sessionFor,
  startBackoffice,
  type Harness,
} from "../../server/test/harness/backoffice/backoffice-harness.ts";

/**
 * The daily export to the drop folder (issue 15 item 3): the council admin chooses the layouts on
 * the imports page (audited; an operator may not), and the hourly job writes yesterday's paid
 * receipts once into `<drop root>/<ipa>/out/`, nothing for a council that did not ask.
 */
describe("daily export of paid receipts into the drop folder", () => {
  let h: Harness;
  let dropRoot: string;
  let admin: { cookie: string; csrf: string };
  let operator: { cookie: string; csrf: string };
  let t: Awaited<ReturnType<typeof makeTenant>>;
  let other: Awaited<ReturnType<typeof makeTenant>>;
  // 08:00 in Rome on 16 May 2027: "yesterday" is 15 May.
  const now = new Date("2027-05-16T06:00:00Z");
  let iuv: string;

  beforeAll(async () => {
    dropRoot = await mkdtemp(path.join(os.tmpdir(), "daily-exports-"));
    h = await startBackoffice();
    t = await makeTenant(h.deps.db, { name: "Comune di Esportazione" });
    other = await makeTenant(h.deps.db, { name: "Comune Senza Esportazione" });
    admin = await sessionFor(h, principal("admin.export", [], { [t.ipaCode]: ["tenant-admin"] }));
    operator = await sessionFor(h, principal("op.export", [], { [t.ipaCode]: ["operator"] }));
    for (const [council, at] of [
      [t, new Date("2027-05-15T09:00:00Z")],
      [t, new Date("2027-05-14T09:00:00Z")], // the day before yesterday: not in the file
      [other, new Date("2027-05-15T09:00:00Z")],
    ] as const) {
      const position = await createPosition(
        h.deps.db,
        council,
        {
          debtor: { fiscalCode: "RSSMRA80A01H501U", name: "Mario Rossi" },
          subject: "Mensa",
          single: {
            amountCents: 4550,
            dueDate: new Date("2027-06-30T00:00:00Z"),
            transfers: [
              {
                iban: "IT60X0542811101000000123456",
                amountCents: 4550,
                taxonomyCode: "9/0101002IM/",
                remittanceText: "x",
              },
            ],
          },
        },
        { type: "system", id: "test" },
      );
      const option = position.options[0]!;
      if (council === t && at.getUTCDate() === 15) iuv = option.iuv;
      await registerReceipt(
        h.deps.db,
        council,
        {
          receiptId: `rcpt-${option.iuv}`,
          nav: option.nav,
          noticeFiscalCode: council.fiscalCode,
          outcome: "OK",
          creditorReferenceId: option.iuv,
          amountCents: 4550,
          pspId: "PSPTEST01",
          pspName: "Banca di prova",
          paymentDateTime: at,
          standIn: false,
          transfers: [
            {
              index: 1,
              amountCents: 4550,
              fiscalCodePA: council.fiscalCode,
              iban: "IT60X0542811101000000123456",
              remittanceText: "x",
              category: "9/0101002IM/",
            },
          ],
        },
        async () => undefined,
      );
    }
  }, 60_000);
  afterAll(async () => {
    await h.stop();
    await rm(dropRoot, { recursive: true, force: true });
  });

  const page = () => `${h.base}/backoffice/enti/${t.ipaCode}/importazioni`;
  const choose = (who: typeof admin, layouts: string[]) => {
    const body = new URLSearchParams({ _csrf: who.csrf });
    for (const l of layouts) body.append("tracciati", l);
    return fetch(`${page()}/esportazione-giornaliera`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie: who.cookie, "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
      body: body.toString(),
    });
  };
  const run = () =>
    writeDailyExports({ db: h.deps.db, config: { IMPORT_DROP_ROOT: dropRoot }, logger: silentLogger }, now);

  test("an operator may not change it; the admin's choice is saved, shown and audited", async () => {
    expect((await choose(operator, ["native"])).status).toBe(403);
    expect((await choose(admin, ["native", "nessuno"])).status).toBe(422);
    const saved = await choose(admin, ["mypay", "native"]);
    expect(saved.status).toBe(303);
    const location = new URL(saved.headers.get("location")!, h.base);
    const html = await (await fetch(location, { headers: { cookie: admin.cookie, accept: "text/html" } })).text();
    expect(html).toContain("Esportazione giornaliera aggiornata.");
    expect(html).toMatch(/id="giornaliera-native"[^>]*checked/);
    expect(html).not.toMatch(/id="giornaliera-govpay"[^>]*checked/);
    const audit = await h.deps.db.withTenant(t.id, (tx) =>
      tx.auditLog.findMany({ where: { tenantId: t.id, action: "tenant.daily-exports" } }),
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]!.after).toEqual({ dailyExportLayouts: ["mypay", "native"] });
  });

  test("yesterday's receipts are written once per chosen layout; nothing for a council that did not ask", async () => {
    const first = await run();
    const out = path.join(dropRoot, t.ipaCode, "out");
    expect((await readdir(out)).sort()).toEqual([
      `pagati-${t.ipaCode}-2027-05-15-2027-05-15-mypay.csv`,
      `pagati-${t.ipaCode}-2027-05-15-2027-05-15.csv`,
    ]);
    expect(first.written).toHaveLength(2);
    const native = parse(await readFile(path.join(out, `pagati-${t.ipaCode}-2027-05-15-2027-05-15.csv`)), {
      delimiter: ";",
      columns: true,
      bom: true,
    }) as Array<Record<string, string>>;
    expect(native.map((r) => r.iuv)).toEqual([iuv]);
    expect(native[0]!.importo_pagato).toBe("45,50");
    await expect(stat(path.join(dropRoot, other.ipaCode))).rejects.toThrow();

    const before = await stat(path.join(out, `pagati-${t.ipaCode}-2027-05-15-2027-05-15.csv`));
    expect((await run()).written).toEqual([]);
    const after = await stat(path.join(out, `pagati-${t.ipaCode}-2027-05-15-2027-05-15.csv`));
    expect(after.mtimeMs).toBe(before.mtimeMs);
  });
});
