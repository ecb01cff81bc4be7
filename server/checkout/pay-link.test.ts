import { describe, expect, it } from "vitest";
import { payLinkKey, readPayLink, signPayLink } from "./pay-link.ts";

const config = { STAFF_SESSION_SECRET: "a-long-random-session-secret", PAY_LINK_SECRET: undefined };
const key = payLinkKey(config);
const now = new Date("2027-01-10T10:00:00Z");
const link = { ipa: "c_a123", nav: "301000000000000123", expiresAt: new Date("2027-02-01T00:00:00Z") };
const reencode = (token: string, change: (p: Record<string, unknown>) => void) => {
  const [payload, mac] = token.split(".");
  const decoded = JSON.parse(Buffer.from(payload!, "base64url").toString("utf8")) as Record<string, unknown>;
  change(decoded);
  return `${Buffer.from(JSON.stringify(decoded)).toString("base64url")}.${mac}`;
};

describe("signed pay links", () => {
  it("reads back what was signed until it expires", () => {
    const token = signPayLink(key, link);
    expect(token).toMatch(/^[\w-]+\.[\w-]+$/);
    expect(readPayLink(key, token, now)).toEqual({ ok: true, link });
    expect(readPayLink(key, token, new Date("2027-02-01T00:00:00Z"))).toEqual({ ok: false, reason: "expired" });
  });

  it("refuses a link whose notice, council or expiry was changed, or whose signature was cut or forged", () => {
    const token = signPayLink(key, link);
    for (const bad of [
      reencode(token, (p) => (p.n = "301000000000000999")),
      reencode(token, (p) => (p.i = "c_b999")),
      reencode(token, (p) => (p.e = Number(p.e) + 86_400 * 365)),
      token.slice(0, -4),
      token.split(".")[0]!,
      `${token}.x`,
      "",
      "not-a-link",
    ])
      expect(readPayLink(key, bad, now), bad).toEqual({ ok: false, reason: "invalid" });
  });

  it("is bound to its key: PAY_LINK_SECRET, else one derived from the session secret", () => {
    const token = signPayLink(key, link);
    const own = payLinkKey({ ...config, PAY_LINK_SECRET: "x".repeat(32) });
    expect(readPayLink(own, token, now)).toEqual({ ok: false, reason: "invalid" });
    expect(readPayLink(payLinkKey({ ...config, STAFF_SESSION_SECRET: "another-session-secret" }), token, now).ok).toBe(
      false,
    );
    expect(readPayLink(own, signPayLink(own, link), now).ok).toBe(true);
  });
});
