import { describe, expect, it } from "vitest";
import { positionSearchSchema } from "./search-positions.ts";

describe("positionSearchSchema", () => {
  it("accepts a notice code and an IUV typed as printed, with spaces", () => {
    const q = positionSearchSchema.parse({ nav: "3010 0000 0000 0013 56", iuv: "01 0000 0000 0013 56" });
    expect(q.nav).toBe("301000000000001356");
    expect(q.iuv).toBe("0100000000001356");
  });
  it("still refuses a notice code that is not 18 digits", () => {
    expect(positionSearchSchema.safeParse({ nav: "3010 0000" }).success).toBe(false);
  });
});
