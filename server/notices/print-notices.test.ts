import { PDFDocument } from "pdf-lib";
import { describe, expect, it } from "vitest";
import type { PdfRenderer } from "../platform/pdf/index.ts";
import { buildNoticeView } from "./notice-view.ts";
import { printNotices } from "./print-notices.ts";
import {
  fixtureInstallments,
  fixtureOption,
  fixturePosition,
  fixtureTenant,
} from "../test/harness/notices/notice-fixtures.ts";

/** A renderer that returns a blank PDF of `pages` pages, whatever the HTML. */
function blankRenderer(pages: number, objectStreams = false): PdfRenderer {
  return {
    async render() {
      const doc = await PDFDocument.create();
      for (let i = 0; i < pages; i++) doc.addPage();
      return Buffer.from(await doc.save({ useObjectStreams: objectStreams }));
    },
  };
}

describe("printNotices page accounting", async () => {
  const tenant = fixtureTenant();
  const views = [
    await buildNoticeView(tenant, fixturePosition([fixtureOption("SINGLE", 10_000, "2026-05-31T10:00:00Z")])),
    await buildNoticeView(
      tenant,
      fixturePosition([fixtureOption("SINGLE", 30_000, "2026-05-31T10:00:00Z"), ...fixtureInstallments(3)]),
    ),
  ];

  it("places each notice on its pages when the PDF has the planned page count", async () => {
    const printed = await printNotices(blankRenderer(3), views);
    expect(printed.pageCount).toBe(3);
    expect(printed.placements.map((p) => [p.firstPage, p.pageCount])).toEqual([
      [1, 1],
      [2, 2],
    ]);
  });

  it("refuses a PDF whose page count differs from the plan (a notice overflowed)", async () => {
    await expect(printNotices(blankRenderer(4), views)).rejects.toMatchObject({ code: "NOTICE_LAYOUT_OVERFLOW" });
  });

  it("counts pages hidden in object streams with a real parse, never by the quick scan alone", async () => {
    // With object streams the raw-bytes scan finds no page dictionaries: the parse decides.
    await expect(printNotices(blankRenderer(3, true), views)).resolves.toMatchObject({ pageCount: 3 });
    await expect(printNotices(blankRenderer(2, true), views)).rejects.toMatchObject({ code: "NOTICE_LAYOUT_OVERFLOW" });
  });
});
