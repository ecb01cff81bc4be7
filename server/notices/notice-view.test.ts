import { describe, expect, it } from "vitest";
import { buildNoticeView, initialsOf, truncateSubject } from "./notice-view.ts";
import { renderNoticeDocument } from "./notice-document.ts";
import {
  fixtureInstallments,
  fixtureOption,
  fixturePosition,
  fixtureTenant,
} from "../test/harness/notices/notice-fixtures.ts";

describe("buildNoticeView", () => {
  it("prints the single payment with Italian amount and date, NAV in groups of four and the exact QR payload", async () => {
    const single = fixtureOption("SINGLE", 102_099, "2026-03-31T10:00:00Z");
    const view = await buildNoticeView(fixtureTenant(), fixturePosition([single]));
    expect(view.single).toMatchObject({ amountText: "1.020,99", dueDateText: "31/03/2026", nav: single.nav });
    expect(view.single!.navText).toBe(single.nav.match(/.{1,4}/g)!.join(" "));
    // Written out here rather than computed by server/pagopa, so a drift in either is caught.
    expect(view.single!.qrPayload).toBe(`PAGOPA|002|${single.nav}|00345670210|102099`);
    expect(view.single!.qrSvg).toMatch(/^<svg[^>]*viewBox="0 0 33 33"/); // version 4: 33 modules
    expect(view.creditor.cbill).toBe("BF001");
    expect(view.summary).toMatchObject({
      amountText: "1.020,99",
      dueDateText: "31/03/2026",
      note: null,
      installmentsFollow: false,
    });
    expect(view.pageCount).toBe(1);
    expect(view.sheets).toEqual([]);
  });

  it("shows the due date in Rome's calendar day", async () => {
    const view = await buildNoticeView(
      fixtureTenant(),
      fixturePosition([fixtureOption("SINGLE", 100, "2026-12-31T23:30:00Z")]),
    );
    expect(view.single!.dueDateText).toBe("01/01/2027");
  });

  it("adds the Poste bulletin with the 256-character DataMatrix when the council has a postal account", async () => {
    const single = fixtureOption("SINGLE", 5_000, "2026-03-31T10:00:00Z");
    const tenant = fixtureTenant({
      postalAccount: "1012345678",
      postalHolder: "Comune di Borgo Fiorito - Servizio Tesoreria",
    });
    const view = await buildNoticeView(
      tenant,
      fixturePosition([single], { debtorName: "Lucà Nicolò", subject: "Mensa" }),
    );
    const payload = view.singlePostal!.dataMatrixPayload;
    expect(payload).toHaveLength(256);
    expect(
      payload.startsWith(
        `codfase=NBPA;18${single.nav}12001012345678100000005000` +
          "3896" +
          "1P1" +
          "00345670210" +
          "RSSMRA80A01H501U" +
          "LUCA NICOLO",
      ),
    ).toBe(true);
    expect(payload.endsWith(" A")).toBe(true);
    expect(view.singlePostal).toMatchObject({
      holder: "Comune di Borgo Fiorito - Servizio Tesoreria",
      account: "1012345678",
      amountText: "50,00",
    });
    expect(view.singlePostal!.dataMatrixSvg).toMatch(/^<svg/);
  });

  it("lays out installments with their own QR and, with a postal account, one bulletin each", async () => {
    const installments = fixtureInstallments(5);
    const view = await buildNoticeView(fixtureTenant({ postalAccount: "1012345678" }), fixturePosition(installments));
    expect(view.single).toBeNull();
    expect(view.sheets.map((s) => [s.layout, s.rows.length])).toEqual([
      ["3up", 1],
      ["3up", 1],
    ]);
    const cells = view.sheets.flatMap((s) => s.rows.flatMap((r) => r.cells));
    expect(cells.map((c) => c?.nav ?? null)).toEqual([...installments.map((o) => o.nav), null]);
    expect(cells[1]!.title.it).toBe("Rata 2 di 5");
    expect(cells[1]!.qrPayload).toBe(`PAGOPA|002|${installments[1]!.nav}|00345670210|10111`);
    const postal = view.sheets.flatMap((s) => s.rows.flatMap((r) => r.postal ?? []));
    expect(postal.map((p) => p?.dataMatrixPayload.slice(15, 33) ?? null)).toEqual([
      ...installments.map((o) => o.nav),
      null,
    ]);
    expect(view.summary.amountText).toBe("511,10"); // 10000 + 10111 + 10222 + 10333 + 10444 cents
    expect(view.summary.dueLabel.it).toBe("in 5 rate, la prima entro il");
    expect(view.pageCount).toBe(3);
  });

  it("says the citizen may pay at once or in installments when both exist", async () => {
    const view = await buildNoticeView(
      fixtureTenant(),
      fixturePosition([fixtureOption("SINGLE", 30_000, "2026-03-31T10:00:00Z"), ...fixtureInstallments(3)]),
    );
    expect(view.summary.note!.it).toBe("Puoi pagare in un'unica soluzione oppure a rate.");
    expect(view.navs).toHaveLength(4);
    expect(view.pageCount).toBe(2);
  });

  it("prints German beside Italian for a bilingual council, and Italian only otherwise", async () => {
    const position = fixturePosition([fixtureOption("SINGLE", 100, "2026-03-31T10:00:00Z")]);
    const de = await buildNoticeView(fixtureTenant({ branding: { secondLanguage: "de" } }), position);
    expect(de.bilingual).toBe(true);
    expect(de.labels.title).toEqual({ it: "AVVISO DI PAGAMENTO", second: "ZAHLUNGSMITTEILUNG" });
    const it_ = await buildNoticeView(fixtureTenant({ branding: { secondLanguage: "fr" } }), position);
    expect(it_.bilingual).toBe(false);
    expect(it_.labels.title.second).toBeNull();
  });

  it("uses a data: logo and falls back to initials for anything else", async () => {
    const position = fixturePosition([fixtureOption("SINGLE", 100, "2026-03-31T10:00:00Z")]);
    const logo = "data:image/png;base64,iVBORw0KGgo=";
    expect((await buildNoticeView(fixtureTenant({ branding: { logoUrl: logo } }), position)).creditor.logoDataUrl).toBe(
      logo,
    );
    const remote = await buildNoticeView(
      fixtureTenant({ branding: { logoUrl: "https://example.org/logo.png" } }),
      position,
    );
    expect(remote.creditor).toMatchObject({ logoDataUrl: null, initials: "BF" });
  });

  it("refuses a position with nothing left to pay", async () => {
    await expect(buildNoticeView(fixtureTenant(), fixturePosition([]))).rejects.toMatchObject({
      code: "NOTICE_NOTHING_TO_PAY",
    });
  });
});

describe("notice helpers", () => {
  it("makes initials from the significant words of the name", () => {
    expect(initialsOf("Comune di Borgo Fiorito")).toBe("BF");
    expect(initialsOf("Provincia di Demo")).toBe("D");
    expect(initialsOf("Comune")).toBe("C");
    expect(initialsOf("Unione dei Comuni della Valle d'Aosta")).toBe("CVA");
  });

  it("keeps the subject within 90 characters, cut at a word", () => {
    const long = "Tassa sui rifiuti ".repeat(10);
    const cut = truncateSubject(long);
    expect(cut.length).toBeLessThanOrEqual(90);
    expect(cut.endsWith("…")).toBe(true);
    expect(truncateSubject("  Mensa   scolastica ")).toBe("Mensa scolastica");
  });
});

describe("renderNoticeDocument", () => {
  it("produces a self-contained document: one fixed-height page per planned page, nothing fetched", async () => {
    const views = await Promise.all([
      buildNoticeView(
        fixtureTenant(),
        fixturePosition([fixtureOption("SINGLE", 100, "2026-03-31T10:00:00Z")], {
          subject: "<script>alert(1)</script>",
        }),
      ),
      buildNoticeView(fixtureTenant({ postalAccount: "1012345678" }), fixturePosition(fixtureInstallments(5))),
    ]);
    const html = renderNoticeDocument(views);
    expect(html.match(/<section class="page/g)).toHaveLength(views[0]!.pageCount + views[1]!.pageCount);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain("&lt;script&gt;");
    expect(html).not.toMatch(/(src|href)="(?!data:)/);
    expect(html).not.toMatch(/url\((?!data:)/);
  });
});
