import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { checkStationAccess, ipAllowed, StationAccessDenied } from "./station-guard.ts";

const open = { clientCertFingerprint: null, subscriptionKeyHash: null, allowedSources: [] };
const caller = (headers: Record<string, string> = {}, ip = "10.1.2.3", viaTrustedProxy = true) => ({
  ip,
  headers,
  viaTrustedProxy,
});
const denied = (fn: () => void) => {
  try {
    fn();
    return null;
  } catch (err) {
    return err instanceof StationAccessDenied ? err.reason : "other";
  }
};

describe("station protections", () => {
  it("lets anyone through a station without protections", () => {
    expect(denied(() => checkStationAccess(open, caller(), "x-cert"))).toBeNull();
  });

  it("checks the client certificate fingerprint in the configured header, ignoring case and colons", () => {
    const station = { ...open, clientCertFingerprint: "AB:CD:EF:01" };
    expect(denied(() => checkStationAccess(station, caller({ "x-cert": "abcdef01" }), "X-Cert"))).toBeNull();
    expect(denied(() => checkStationAccess(station, caller({ "x-cert": "abcdef02" }), "X-Cert"))).toBe(
      "client certificate",
    );
    expect(denied(() => checkStationAccess(station, caller({ "x-other": "abcdef01" }), "X-Cert"))).toBe(
      "client certificate",
    );
  });

  it("ignores the certificate header unless the request came straight from a trusted proxy", () => {
    const station = { ...open, clientCertFingerprint: "AB:CD:EF:01" };
    expect(
      denied(() => checkStationAccess(station, caller({ "x-cert": "abcdef01" }, "10.1.2.3", false), "X-Cert")),
    ).toBe("client certificate");
  });

  it("in production refuses a station that authenticates no caller, even with source addresses", () => {
    const key = createHash("sha256").update("s3cret").digest("hex");
    expect(denied(() => checkStationAccess(open, caller(), "x", true))).toBe("no caller authentication configured");
    expect(denied(() => checkStationAccess({ ...open, allowedSources: ["10.0.0.0/8"] }, caller(), "x", true))).toBe(
      "no caller authentication configured",
    );
    expect(
      denied(() =>
        checkStationAccess(
          { ...open, subscriptionKeyHash: key },
          caller({ "ocp-apim-subscription-key": "s3cret" }),
          "x",
          true,
        ),
      ),
    ).toBeNull();
    expect(
      denied(() =>
        checkStationAccess({ ...open, clientCertFingerprint: "AB" }, caller({ "x-cert": "ab" }), "x-cert", true),
      ),
    ).toBeNull();
  });

  it("checks the sha256 of the subscription key", () => {
    const station = { ...open, subscriptionKeyHash: createHash("sha256").update("s3cret").digest("hex") };
    expect(
      denied(() => checkStationAccess(station, caller({ "ocp-apim-subscription-key": "s3cret" }), "x")),
    ).toBeNull();
    expect(denied(() => checkStationAccess(station, caller({ "ocp-apim-subscription-key": "nope" }), "x"))).toBe(
      "subscription key",
    );
    expect(denied(() => checkStationAccess(station, caller(), "x"))).toBe("subscription key");
  });

  it("checks the caller's address against addresses and CIDR ranges", () => {
    const station = { ...open, allowedSources: ["192.168.0.0/16", "10.1.2.3", "2001:db8::/32"] };
    expect(denied(() => checkStationAccess(station, caller({}, "10.1.2.3"), "x"))).toBeNull();
    expect(denied(() => checkStationAccess(station, caller({}, "::ffff:192.168.40.1"), "x"))).toBeNull();
    expect(denied(() => checkStationAccess(station, caller({}, "2001:db8::1"), "x"))).toBeNull();
    expect(denied(() => checkStationAccess(station, caller({}, "10.1.2.4"), "x"))).toBe("source address");
  });

  it("lets malformed entries match nothing", () => {
    expect(ipAllowed("10.0.0.1", ["garbage", "10.0.0.0/99", ""])).toBe(false);
    expect(ipAllowed("not-an-ip", ["0.0.0.0/0"])).toBe(false);
    expect(ipAllowed("10.0.0.1", ["0.0.0.0/0"])).toBe(true);
  });
});
