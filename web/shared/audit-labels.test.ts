import { describe, expect, it } from "vitest";
import { AUDIT_ACTIONS } from "../../server/audit/index.ts";
import { AUDIT_ACTION_LABELS, viewHelpers } from "./view-engine.ts";

describe("audit action labels", () => {
  it("names every audit action the platform records in Italian, and nothing else", () => {
    for (const action of AUDIT_ACTIONS) {
      expect(AUDIT_ACTION_LABELS[action], action).toMatch(/\S/);
      expect(viewHelpers.auditActionLabel(action)).not.toBe(action);
    }
    expect(Object.keys(AUDIT_ACTION_LABELS).sort()).toEqual([...AUDIT_ACTIONS].sort());
  });
});
