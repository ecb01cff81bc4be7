import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../../../infra/dev-idp/spid/test-harness.ts";
import { IdpDirectory, loadIdpRegistry } from "./idp-registry.ts";

describe("SPID IdP registry", () => {
  let idp: Harness;
  let registryXml: string;
  let registryCert: string;
  // A registry server we control: counts downloads, can fail or serve altered XML.
  let server: Server;
  let url: string;
  let downloads = 0;
  let answer: { status: number; body: () => string } = { status: 200, body: () => registryXml };

  beforeAll(async () => {
    idp = await startHarness();
    registryXml = await (await fetch(`${idp.baseUrl}/registry`)).text();
    registryCert = await (await fetch(`${idp.baseUrl}/registry/certificate`)).text();
    server = createServer((_req, res) => {
      downloads += 1;
      res.writeHead(answer.status, { "content-type": "application/samlmetadata+xml" }).end(answer.body());
    }).listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/registry.xml`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await idp.close();
  });

  it("reads the test IdP's registry, signed like AgID's, verified with the registry certificate", async () => {
    const idps = await loadIdpRegistry(`${idp.baseUrl}/registry`, registryCert);
    expect(idps).toEqual([
      expect.objectContaining({
        entityId: idp.baseUrl,
        ssoRedirectUrl: `${idp.baseUrl}/sso`,
        certificates: [idp.idpCertificate],
      }),
    ]);
  });

  it("refuses a registry not signed by the configured certificate: another signer, altered, unsigned", async () => {
    // Signed, but by the IdP's own key (its /metadata), not by the registry's.
    await expect(loadIdpRegistry(`${idp.baseUrl}/metadata`, registryCert)).rejects.toThrow(
      /not signed by the configured registry certificate/,
    );
    await expect(loadIdpRegistry(`${idp.baseUrl}/registry`, idp.idpCertificate)).rejects.toThrow(/not signed/);
    answer = {
      status: 200,
      body: () => registryXml.replace(`Location="${idp.baseUrl}/sso"`, 'Location="https://phishing.example/sso"'),
    };
    await expect(loadIdpRegistry(url, registryCert)).rejects.toThrow(/not signed/);
    answer = { status: 200, body: () => registryXml.replace(/<ds:Signature[^]*<\/ds:Signature>/, "") };
    await expect(loadIdpRegistry(url, registryCert)).rejects.toThrow(/not signed/);
    answer = { status: 200, body: () => registryXml };
  });

  it("refuses an answer that is not 2xx", async () => {
    answer = { status: 503, body: () => registryXml };
    await expect(loadIdpRegistry(url, registryCert)).rejects.toThrow(/HTTP 503/);
    answer = { status: 200, body: () => registryXml };
  });

  it("downloads on a schedule, never for an unknown IdP id; a failed refresh keeps the last good copy", async () => {
    let now = 1_000_000;
    const errors: unknown[] = [];
    const directory = new IdpDirectory(url, {
      certificate: registryCert,
      refreshMs: 60 * 60_000,
      now: () => now,
      onRefreshError: (e) => errors.push(e),
    });
    downloads = 0;
    expect(await directory.find(idp.baseUrl)).not.toBeNull();
    for (let i = 0; i < 50; i++) expect(await directory.find(`https://idp-${i}.example`)).toBeNull();
    expect(downloads).toBe(1);

    now += 60 * 60_000; // the hour has passed: the next use refreshes in the background
    await directory.list();
    await directory.settled();
    expect(downloads).toBe(2);

    now += 60 * 60_000;
    answer = { status: 500, body: () => "" };
    expect(await directory.find(idp.baseUrl)).not.toBeNull(); // served from the last good copy
    await directory.settled();
    expect(downloads).toBe(3);
    expect(String(errors[0])).toMatch(/HTTP 500/);
    expect(await directory.find(idp.baseUrl)).not.toBeNull();
    await directory.settled();
    expect(downloads).toBe(3); // retried after a minute, not on every request
    answer = { status: 200, body: () => registryXml };
    now += 61_000;
    await directory.list();
    await directory.settled();
    expect(downloads).toBe(4);
  });
});
