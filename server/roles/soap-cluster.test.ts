import { describe, expect, it } from "vitest";
import { ConfigError } from "../config/env.ts";
import { shouldForkSoapWorkers } from "./soap-cluster.ts";

describe("SOAP_WORKERS", () => {
  it("forks only above one worker", () => {
    expect(shouldForkSoapWorkers(["soap"], 1)).toBe(false);
    expect(shouldForkSoapWorkers(["soap"], 2)).toBe(true);
  });

  it("refuses several workers when the process also runs other roles", () => {
    expect(() => shouldForkSoapWorkers(["api", "soap"], 2)).toThrow(ConfigError);
    expect(() => shouldForkSoapWorkers(["api"], 2)).toThrow(/--role=soap alone/);
    expect(shouldForkSoapWorkers(["api", "soap", "worker", "scheduler"], 1)).toBe(false);
  });
});
