import { describe, expect, it } from "vitest";
import { citizenTenantStatuses, isCitizenVisible } from "./citizen-visibility.ts";

describe("which councils citizens see and pay", () => {
  it("in production only live ones; on a test platform also those in collaudo; never onboarding or suspended", () => {
    const seen = (production: boolean) =>
      (["ONBOARDING", "TEST", "LIVE", "SUSPENDED"] as const).filter((status) =>
        isCitizenVisible({ status }, production),
      );
    expect(seen(true)).toEqual(["LIVE"]);
    expect(seen(false)).toEqual(["TEST", "LIVE"]);
    expect(citizenTenantStatuses(true)).toEqual(["LIVE"]);
  });
});
