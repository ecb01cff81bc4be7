import { describe, expect, it } from "vitest";
import { viewHelpers } from "./view-engine.ts";

describe("nav helper", () => {
  it("prints a notice code in groups of four that cannot break inside a group", () => {
    const html = viewHelpers.nav("301000000000001356").toString();
    expect(html).toBe(
      ["3010", "0000", "0000", "0013", "56"].map((g) => `<span class="pontepa-nav-group">${g}</span>`).join(" "),
    );
  });

  it("escapes whatever it is given", () => {
    expect(viewHelpers.nav("<b>").toString()).not.toContain("<b>");
  });
});

describe("status badges", () => {
  it("give every position status its own colour", () => {
    const statuses = ["DRAFT", "VALID", "PARTIALLY_PAID", "PAID", "EXPIRED", "CANCELLED", "REPORTED"];
    const classes = statuses.map((s) => viewHelpers.positionStatusClass(s));
    expect(new Set(classes).size).toBe(statuses.length);
  });

  it("colour an installment like the position state it corresponds to", () => {
    expect(viewHelpers.optionStatusClass("UNPAID")).toBe(viewHelpers.positionStatusClass("VALID"));
    expect(viewHelpers.optionStatusClass("PAID")).toBe(viewHelpers.positionStatusClass("PAID"));
  });
});
