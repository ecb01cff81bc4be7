import { describe, expect, it } from "vitest";
import { loadConfig } from "../config/env.ts";
import { PRODUCTION_TEST_ENV } from "../test/production-env.ts";
import { webhookUrlProblem } from "./endpoint.schema.ts";
import { webhookHttp } from "./webhook-http.ts";

const production = loadConfig(PRODUCTION_TEST_ENV);

describe("webhook targets", () => {
  it("in production the delivery client refuses loopback, private and link-local addresses", async () => {
    const client = webhookHttp(production);
    for (const url of [
      "https://127.0.0.1/h",
      "https://10.1.1.1/h",
      "https://169.254.169.254/latest",
      "https://localhost/h",
    ])
      await expect(client.post(url, {}, "{}"), url).rejects.toMatchObject({ code: "ETARGETFORBIDDEN" });
  });

  it("in production an endpoint must be https and not a literal private address", () => {
    expect(webhookUrlProblem("http://tributi.comune.example/hooks", true)).toMatch(/https/);
    for (const url of [
      "https://127.0.0.1/h",
      "https://10.0.0.9/h",
      "https://169.254.169.254/",
      "https://[::1]/h",
      "https://localhost/h",
    ])
      expect(webhookUrlProblem(url, true), url).toMatch(/privati/);
    expect(webhookUrlProblem("https://tributi.comune.example/hooks", true)).toBeNull();
    expect(webhookUrlProblem("http://127.0.0.1:4400/hooks", false)).toBeNull(); // the demo receiver
    expect(webhookUrlProblem("https://user:pw@tributi.comune.example/", false)).toMatch(/credenziali/);
  });
});
