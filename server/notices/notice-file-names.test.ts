import { describe, expect, it } from "vitest";
import { noticeBatchFileName, noticeFileName, noticesFileName, safeFilePart } from "./notice-file-names.ts";

describe("notice file names", () => {
  it("say what the file is", () => {
    expect(noticeFileName("301000000000000193", "c_x001")).toBe("avviso-301000000000000193-c_x001.pdf");
    expect(noticesFileName("c_x001", new Date("2026-03-01T10:00:00Z"))).toBe("avvisi-c_x001-2026-03-01.pdf");
    expect(noticeBatchFileName("c_x001", new Date("2026-03-01T10:00:00Z"), 7)).toBe(
      "avvisi-c_x001-2026-03-01-0007.pdf",
    );
  });

  it("use Rome's calendar day", () => {
    // 23:30 UTC on 31 March is already 1 April in Rome (CEST).
    expect(noticesFileName("c_x001", new Date("2026-03-31T23:30:00Z"))).toBe("avvisi-c_x001-2026-04-01.pdf");
  });

  it("never carry path separators, quotes or spaces", () => {
    expect(safeFilePart('../../etc/"passwd" x')).toBe("etc_passwd_x");
    expect(noticeFileName("a/b", "c d")).toBe("avviso-a_b-c_d.pdf");
  });
});
