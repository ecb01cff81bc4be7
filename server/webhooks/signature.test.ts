import { describe, expect, it } from "vitest";
import { generateSecret, sign, signedHeaders, verifySignature } from "./signature.ts";

// The test vector the Standard Webhooks reference libraries publish (and Svix's share).
const VECTOR = {
  secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
};

describe("Standard Webhooks signature", () => {
  it("reproduces the specification's test vector", () => {
    expect(sign(VECTOR.secret, VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(VECTOR.signature);
  });

  it("verifies the vector, and refuses a changed body, id, stale timestamp or another secret", () => {
    const headers = { id: VECTOR.id, timestamp: String(VECTOR.timestamp), signature: VECTOR.signature };
    expect(verifySignature(VECTOR.secret, headers, VECTOR.body, VECTOR.timestamp)).toBe(true);
    expect(verifySignature(VECTOR.secret, headers, VECTOR.body.replace("2", "3"), VECTOR.timestamp)).toBe(false);
    expect(verifySignature(VECTOR.secret, { ...headers, id: "msg_other" }, VECTOR.body, VECTOR.timestamp)).toBe(false);
    expect(verifySignature(VECTOR.secret, headers, VECTOR.body, VECTOR.timestamp + 301)).toBe(false);
    expect(verifySignature(generateSecret(), headers, VECTOR.body, VECTOR.timestamp)).toBe(false);
  });

  it("signs with both secrets during a rotation, each verifying on its own", () => {
    const [oldSecret, newSecret] = [generateSecret(), generateSecret()];
    expect(newSecret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const h = signedHeaders([newSecret, oldSecret], "evt_1", 1_700_000_000, "{}");
    expect(h["webhook-signature"].split(" ")).toHaveLength(2);
    const given = { id: h["webhook-id"], timestamp: h["webhook-timestamp"], signature: h["webhook-signature"] };
    expect(verifySignature(oldSecret, given, "{}", 1_700_000_000)).toBe(true);
    expect(verifySignature(newSecret, given, "{}", 1_700_000_000)).toBe(true);
  });
});
