import pg from "pg";
import { describe, expect, it } from "vitest";
import { quoteLiteral } from "./fast-sql.ts";

describe("quoteLiteral", () => {
  it("quotes exactly as pg's escapeLiteral does", () => {
    for (const s of [
      "",
      "plain",
      "it's",
      "''",
      "a\\b",
      "\\'; DROP TABLE x; --",
      "E'\\\\'",
      '<a b="c">x</a>',
      "€ ünïcode",
      "\n\t\r",
    ]) {
      expect(quoteLiteral(s)).toBe(pg.escapeLiteral(s));
    }
  });
});
