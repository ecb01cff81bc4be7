import { describe, expect, it } from "vitest";
import { ERROR_CODES } from "../../server/platform/errors.ts";
import { ERROR_TITLES, errorTitle } from "./error-titles.ts";

describe("error titles", () => {
  it("gives every error code the platform raises an Italian title, and no code it does not raise", () => {
    expect(Object.keys(ERROR_TITLES).sort()).toEqual([...ERROR_CODES].sort());
    for (const code of ERROR_CODES) {
      expect(ERROR_TITLES[code], code).toMatch(/\S/);
      expect(ERROR_TITLES[code], code).not.toMatch(/\b(not|found|error|invalid|failed|the)\b/i);
    }
  });

  it("falls back to the status title for codes raised by libraries", () => {
    expect(errorTitle({ code: "NOTICE_PAID", title: "Conflitto" })).toBe("Avviso già pagato");
    expect(errorTitle({ code: "ENTITY_TOO_LARGE", title: "Richiesta troppo grande" })).toBe("Richiesta troppo grande");
  });
});
