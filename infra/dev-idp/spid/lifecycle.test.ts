import { mkdtemp, readdir, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import express from "express";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSpidIdp } from "./index.ts";
import { inspectResponse } from "./test-harness.ts";
import { authnRequestXml, createTestSp, redirectQuery } from "./test-sp.ts";

const silent = pino({ level: "silent" });
let dataDir: string;
let server: ReturnType<express.Express["listen"]>;
let origin: string;
const app = express();
let published: string | undefined;
app.get("/sp-metadata.xml", (_req, res) => {
  if (published === undefined) return res.status(404).end();
  res.type("application/xml").send(published);
});

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "spid-idp-life-"));
  server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dataDir, { recursive: true, force: true });
});

const sp = createTestSp({
  entityId: "https://life.pontepa.test/sp",
  acsUrl: "https://life.pontepa.test/acs",
  sloUrl: "https://life.pontepa.test/slo",
});

describe("createSpidIdp lifecycle", () => {
  it("creates the IdP key and certificate on first start and reuses them afterwards", async () => {
    const first = await createSpidIdp({ baseUrl: `${origin}/a`, dataDir, logger: silent });
    app.use("/a", first);
    const files = await readdir(dataDir);
    expect(files).toEqual(expect.arrayContaining(["spid-idp-key.pem", "spid-idp-cert.pem"]));
    const cert = (xml: string) => /<ds:X509Certificate>([^<]+)</.exec(xml)?.[1];
    const before = cert(await (await fetch(`${origin}/a/metadata`)).text());
    app.use("/b", await createSpidIdp({ baseUrl: `${origin}/b`, dataDir, logger: silent }));
    const after = cert(await (await fetch(`${origin}/b/metadata`)).text());
    expect(before).toBeTruthy();
    expect(after).toBe(before);
  });

  it("fetches SP metadata from the configured URLs, again when an unknown SP shows up", async () => {
    published = undefined;
    const base = `${origin}/c`;
    app.use(
      "/c",
      await createSpidIdp({ baseUrl: base, dataDir, logger: silent, spMetadataUrls: [`${origin}/sp-metadata.xml`] }),
    );
    published = sp.metadataXml;
    const res = await fetch(
      `${base}/sso?${redirectQuery("SAMLRequest", authnRequestXml(sp, `${base}/sso`).xml, sp.keys)}`,
    );
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('name="token"');
  });

  it("answers ErrorCode nr21 when the login takes longer than ten minutes", async () => {
    let clock = Date.now();
    const base = `${origin}/d`;
    app.use(
      "/d",
      await createSpidIdp({
        baseUrl: base,
        dataDir,
        logger: silent,
        spMetadata: [sp.metadataXml],
        now: () => new Date(clock),
      }),
    );
    const { xml } = authnRequestXml(sp, `${base}/sso`, { issueInstant: new Date(clock).toISOString() });
    const page = await (await fetch(`${base}/sso?${redirectQuery("SAMLRequest", xml, sp.keys)}`)).text();
    const token = /name="token" value="([^"]+)"/.exec(page)?.[1] as string;
    clock += 11 * 60 * 1000;
    const res = await fetch(`${base}/login`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token, username: "mario.rossi", password: "demo", otp: "123456" }).toString(),
    });
    const samlResponse = /name="SAMLResponse" value="([^"]+)"/.exec(await res.text())?.[1] as string;
    expect(inspectResponse(Buffer.from(samlResponse, "base64").toString("utf8")).statusMessage).toBe("ErrorCode nr21");
  });
});
