import { describe, expect, it } from "vitest";
import { detectHelpdeskQuery } from "./helpdesk-query.ts";

describe("detectHelpdeskQuery: what the helpdesk typed", () => {
  it("reads a notice code as printed, with spaces", () => {
    expect(detectHelpdeskQuery("auto", "3010 0000 0000 0013 56")).toEqual({ kind: "nav", value: "301000000000001356" });
  });
  it("recognises a person's fiscal code and a council's VAT number, in any case", () => {
    expect(detectHelpdeskQuery("auto", " rssmra80a01h501u ")).toEqual({
      kind: "fiscalCode",
      value: "RSSMRA80A01H501U",
    });
    expect(detectHelpdeskQuery("auto", "00488410010")).toEqual({ kind: "fiscalCode", value: "00488410010" });
  });
  it("takes 15 to 17 digits or an RF reference as an IUV, anything else as a receipt id", () => {
    expect(detectHelpdeskQuery("auto", "01 0000 0000 0013 56")).toEqual({ kind: "iuv", value: "0100000000001356" });
    expect(detectHelpdeskQuery("auto", "RF18 5390 0754 7034")).toEqual({ kind: "iuv", value: "RF18539007547034" });
    expect(detectHelpdeskQuery("auto", "c2f3a1d0e9b84d7c")).toEqual({ kind: "receiptId", value: "c2f3a1d0e9b84d7c" });
  });
  it("keeps the kind the person chose, still without spaces", () => {
    expect(detectHelpdeskQuery("nav", "12 34")).toEqual({ kind: "nav", value: "1234" });
  });
});
