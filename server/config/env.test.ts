import { describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { ConfigError, loadConfig } from "./env.ts";

const SPID_REGISTRY = {
  SPID_IDP_REGISTRY: "https://registry.spid.gov.it/entities-idp?&output=xml",
  SPID_IDP_REGISTRY_CERT: "/etc/pontepa/agid-registry.pem",
};
const PRODUCTION_URLS = {
  PUBLIC_BASE_URL: "https://pagamenti.regione.example",
  OIDC_ISSUER_URL: "https://id.regione.example/realms/pontepa",
  CHECKOUT_BASE_URL: "https://api.platform.pagopa.it/checkout/ec/v2",
  PAGOPA_BACKOFFICE_URL: "https://api.platform.pagopa.it/backoffice/external/ec/v1",
  FDR_BASE_URL: "https://api.platform.pagopa.it/fdr-org/service/v1",
  NODE_FOR_PA_URL: "https://api.platform.pagopa.it/nodo/nodo-per-pa/v1",
  PAGOPA_BIZEVENTS_URL: "https://api.platform.pagopa.it/bizevents/service/v1",
  PAGOPA_ACA_URL: "https://api.platform.pagopa.it/aca/debt-positions-service/v1",
  SMTP_URL: "smtps://smtp.regione.example",
  ...SPID_REGISTRY,
};

describe("loadConfig", () => {
  it("applies the documented defaults", () => {
    const config = loadConfig({});
    expect(config.API_PORT).toBe(3000);
    expect(config.SOAP_PORT).toBe(3001);
    expect(config.DATABASE_URL).toBe("postgresql://pontepa_app@127.0.0.1:5432/pontepa");
    expect(config.REDIS_URL).toBe("redis://127.0.0.1:6379/0");
  });

  it("names every bad variable in one error", () => {
    try {
      loadConfig({ API_PORT: "http", REDIS_URL: "mysql://x", LOG_LEVEL: "loud" });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const message = (err as ConfigError).message;
      expect(message).toMatch(/API_PORT="http"/);
      expect(message).toMatch(/REDIS_URL="mysql:\/\/x"/);
      expect(message).toMatch(/LOG_LEVEL="loud"/);
      expect((err as ConfigError).issues).toHaveLength(3);
    }
  });

  it("refuses the development secrets in production, without printing them", () => {
    expect(() => loadConfig({ NODE_ENV: "production" })).toThrow(
      /STAFF_SESSION_SECRET="\*\*\*": the development default is refused in production/,
    );
    expect(() =>
      loadConfig({ NODE_ENV: "production", STAFF_SESSION_SECRET: "a-long-random-production-secret" }),
    ).toThrow(/OIDC_BACKOFFICE_CLIENT_SECRET/);
    expect(() =>
      loadConfig({
        NODE_ENV: "production",
        STAFF_SESSION_SECRET: "a-long-random-production-secret",
        OIDC_BACKOFFICE_CLIENT_SECRET: "from-keycloak",
      }),
    ).toThrow(/OIDC_ADMIN_CLIENT_SECRET="\*\*\*": the development default is refused/);
    expect(() => loadConfig({ NODE_ENV: "production", OIDC_ADMIN_CLIENT_SECRET: "dev-admin-secret" })).not.toThrow(
      /dev-admin-secret/,
    );
    const secrets = {
      STAFF_SESSION_SECRET: "a-long-random-production-secret",
      OIDC_BACKOFFICE_CLIENT_SECRET: "from-keycloak",
      OIDC_ADMIN_CLIENT_SECRET: "also-from-keycloak",
      ...SPID_REGISTRY,
      ...PRODUCTION_URLS,
    };
    expect(() => loadConfig({ NODE_ENV: "production", ...secrets })).toThrow(
      /IUV_PERMUTATION_SECRET="\*\*\*": the development default is refused/,
    );
    const config = loadConfig({
      NODE_ENV: "production",
      ...secrets,
      IUV_PERMUTATION_SECRET: "a-long-random-iuv-secret",
    });
    expect(config.STAFF_SESSION_SECRET).toBe("a-long-random-production-secret");
  });

  describe("in production (issue 13 item 10)", () => {
    const secrets = {
      NODE_ENV: "production",
      STAFF_SESSION_SECRET: "a-long-random-production-secret",
      OIDC_BACKOFFICE_CLIENT_SECRET: "kc-1",
      OIDC_ADMIN_CLIENT_SECRET: "kc-2",
      IUV_PERMUTATION_SECRET: "an-iuv-secret-of-our-own",
    };
    const issuesOf = (env: Record<string, string>) => {
      try {
        loadConfig({ ...secrets, ...PRODUCTION_URLS, ...env });
        return [];
      } catch (err) {
        return (err as ConfigError).issues;
      }
    };

    it("refuses the development defaults: simulator, dev IdPs, mail catcher", () => {
      const issues = issuesOf(Object.fromEntries(Object.keys(PRODUCTION_URLS).map((k) => [k, ""])));
      for (const name of [
        "PUBLIC_BASE_URL",
        "OIDC_ISSUER_URL",
        "CHECKOUT_BASE_URL",
        "PAGOPA_BACKOFFICE_URL",
        "SPID_IDP_REGISTRY",
        "SMTP_URL",
        "FDR_BASE_URL",
        "NODE_FOR_PA_URL",
        "PAGOPA_BIZEVENTS_URL",
        "PAGOPA_ACA_URL",
      ])
        expect(issues.join("\n")).toContain(`${name}=`);
    });

    it("refuses the simulator's reporting APIs and, for SOAP, the development nodeForPa password", () => {
      expect(issuesOf({ FDR_BASE_URL: "http://127.0.0.1:4100/fdr" })).toEqual([
        expect.stringMatching(/^FDR_BASE_URL=.*must be https/),
      ]);
      expect(issuesOf({ NODE_FOR_PA_URL: "https://localhost:4100/nodo/nodoPerPa" })).toEqual([
        expect.stringMatching(/^NODE_FOR_PA_URL=.*this machine/),
      ]);
      expect(issuesOf({ FDR_SOURCE: "soap" })).toEqual([expect.stringMatching(/^NODE_FOR_PA_PASSWORD=/)]);
      expect(issuesOf({ FDR_SOURCE: "soap", NODE_FOR_PA_PASSWORD: "s3cretpass" })).toEqual([]);
    });

    it("refuses http and this machine for the portal, the OIDC issuer, Checkout and the SPID registry", () => {
      expect(issuesOf({ PUBLIC_BASE_URL: "http://pagamenti.regione.example" })).toEqual([
        expect.stringMatching(/^PUBLIC_BASE_URL=.*must be https/),
      ]);
      expect(issuesOf({ OIDC_ISSUER_URL: "http://id.regione.example/realms/pontepa" })).toEqual([
        expect.stringMatching(/^OIDC_ISSUER_URL=.*must be https/),
      ]);
      expect(issuesOf({ SPID_IDP_REGISTRY: "http://registry.spid.gov.it/entities-idp" })).toEqual([
        expect.stringMatching(/^SPID_IDP_REGISTRY=.*use https/),
      ]);
      expect(issuesOf({ CHECKOUT_BASE_URL: "https://localhost:4100/checkout" })).toEqual([
        expect.stringMatching(/^CHECKOUT_BASE_URL=.*this machine/),
      ]);
      expect(issuesOf({ OIDC_ISSUER_URL: "https://127.0.0.1:4200/realms/pontepa" })).toEqual([
        expect.stringMatching(/this machine/),
      ]);
    });

    it("refuses the development CIE IdP (http, this machine); accepts none (the default) and the Ministry's https metadata", () => {
      expect(issuesOf({ CIE_IDP_METADATA: "http://127.0.0.1:4200/cie/metadata" })).toEqual([
        expect.stringMatching(/^CIE_IDP_METADATA=.*must be https/),
      ]);
      expect(issuesOf({ CIE_IDP_METADATA: "none" })).toEqual([]);
      expect(issuesOf({ CIE_IDP_METADATA: "https://idserver.servizicie.interno.gov.it/idp/shibboleth" })).toEqual([]);
    });

    it("accepts https URLs of real services and a registry kept in a file", () => {
      expect(issuesOf({})).toEqual([]);
      expect(issuesOf({ SPID_IDP_REGISTRY: "/etc/pontepa/spid-registry.xml" })).toEqual([]);
    });
  });

  it("refuses in production an http SPID IdP registry, and one without AgID's signing certificate", () => {
    const secrets = {
      NODE_ENV: "production",
      STAFF_SESSION_SECRET: "s3cret-of-our-own",
      OIDC_BACKOFFICE_CLIENT_SECRET: "a",
      OIDC_ADMIN_CLIENT_SECRET: "b",
      IUV_PERMUTATION_SECRET: "an-iuv-secret-of-our-own",
    };
    expect(() => loadConfig({ ...secrets, SPID_IDP_REGISTRY_CERT: "/etc/pontepa/agid-registry.pem" })).toThrow(
      /SPID_IDP_REGISTRY="": an http registry is refused in production/,
    );
    expect(() => loadConfig({ ...secrets, SPID_IDP_REGISTRY: SPID_REGISTRY.SPID_IDP_REGISTRY })).toThrow(
      /SPID_IDP_REGISTRY_CERT="": required in production/,
    );
    expect(loadConfig({ ...secrets, ...PRODUCTION_URLS, ...SPID_REGISTRY }).SPID_IDP_REGISTRY_REFRESH_MINUTES).toBe(60);
    expect(
      loadConfig({ SPID_IDP_REGISTRY: "http://127.0.0.1:4200/spid/metadata" }).SPID_IDP_REGISTRY_CERT,
    ).toBeUndefined(); // development: allowed
  });

  it("treats an empty variable as unset", () => {
    expect(loadConfig({ API_PORT: "" }).API_PORT).toBe(3000);
  });
});

describe("start-up with a bad variable", () => {
  it("stops with a message naming it and exit code 78", async () => {
    const run = promisify(execFile);
    const result = await run("npx", ["tsx", "server/main.ts", "--role=api"], {
      env: { ...process.env, SOAP_PORT: "not-a-port" },
    }).then(
      () => ({ code: 0, stderr: "" }),
      (err: { code: number; stderr: string }) => err,
    );
    expect(result.code).toBe(78);
    expect(result.stderr).toMatch(/SOAP_PORT="not-a-port"/);
  }, 30_000);

  it("refuses an unknown role", async () => {
    const run = promisify(execFile);
    const result = await run("npx", ["tsx", "server/main.ts", "--role=api,painter"]).then(
      () => ({ code: 0, stderr: "" }),
      (err: { code: number; stderr: string }) => err,
    );
    expect(result.code).toBe(78);
    expect(result.stderr).toMatch(/painter/);
  }, 30_000);
});
