import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import express from "express";
import pino from "pino";
import { SignedXml } from "xml-crypto";
import { createSpidIdp } from "./index.ts";
import { certificatePem } from "./keys.ts";
import { authnRequestXml, createTestSp, redirectQuery, type AuthnRequestFields, type TestSp } from "./test-sp.ts";
import { NS, child, children, descendants, parseXml } from "./xml.ts";

/** A running IdP on an ephemeral loopback port with one registered test SP; for this folder's tests. */
export interface Harness {
  baseUrl: string;
  sp: TestSp;
  idpCertificate: string;
  close(): Promise<void>;
  sso(
    fields?: AuthnRequestFields,
    opts?: { sign?: boolean; relayState?: string; tamper?: (q: string) => string },
  ): Promise<SsoResult>;
  login(token: string, form: Record<string, string>): Promise<PostedMessage>;
  /** Sends an AuthnRequest and logs in as Mario Rossi (L2 with OTP unless the request is L1). */
  loginAs(opts?: {
    fields?: AuthnRequestFields;
    scenario?: string;
    username?: string;
  }): Promise<PostedMessage & { requestId: string }>;
}

export interface SsoResult {
  status: number;
  html: string;
  token?: string;
  errorCode?: number;
}

export interface PostedMessage {
  status: number;
  html: string;
  action?: string;
  /** Decoded SAMLResponse XML. */
  xml?: string;
  relayState?: string;
}

const unescape = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");

/** Reads the auto-submitting form the IdP hands the browser. */
export function readPostForm(status: number, html: string): PostedMessage {
  const action = /<form method="post" action="([^"]*)" id="saml-form">/.exec(html)?.[1];
  const message = /name="SAML(?:Response|Request)" value="([^"]*)"/.exec(html)?.[1];
  const relayState = /name="RelayState" value="([^"]*)"/.exec(html)?.[1];
  return {
    status,
    html,
    action: action && unescape(action),
    xml: message && Buffer.from(unescape(message), "base64").toString("utf8"),
    relayState: relayState && unescape(relayState),
  };
}

/** Starts the test IdP: SPID at /spid, or with `flavour: "cie"` the CIE ID one at /cie. */
export async function startHarness(options: { flavour?: "spid" | "cie" } = {}): Promise<Harness> {
  const flavour = options.flavour ?? "spid";
  const dataDir = await mkdtemp(path.join(tmpdir(), `${flavour}-idp-test-`));
  const app = express();
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/${flavour}`;
  const sp = createTestSp({
    entityId: "https://sp.pontepa.test/spid",
    acsUrl: "https://sp.pontepa.test/spid/acs",
    sloUrl: "https://sp.pontepa.test/spid/slo",
  });
  app.use(
    `/${flavour}`,
    await createSpidIdp({
      baseUrl,
      dataDir,
      spMetadata: [sp.metadataXml],
      logger: pino({ level: "silent" }),
      flavour,
      spMetadataUrls: [],
    }),
  );

  const metadata = parseXml(await (await fetch(`${baseUrl}/metadata`)).text()) as Document;
  const idpCertificate = certificatePem(descendants(metadata, NS.ds, "X509Certificate")[0]?.textContent ?? "");

  const harness: Harness = {
    baseUrl,
    sp,
    idpCertificate,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      await rm(dataDir, { recursive: true, force: true });
    },
    async sso(fields = {}, opts = {}) {
      const { xml } = authnRequestXml(sp, `${baseUrl}/sso`, fields);
      let query = redirectQuery("SAMLRequest", xml, opts.sign === false ? null : sp.keys, opts.relayState);
      if (opts.tamper) query = opts.tamper(query);
      const res = await fetch(`${baseUrl}/sso?${query}`);
      const html = await res.text();
      const code = res.headers.get("x-spid-error-code");
      return {
        status: res.status,
        html,
        token: /name="token" value="([^"]+)"/.exec(html)?.[1],
        errorCode: code === null ? undefined : Number(code),
      };
    },
    async login(token, form) {
      const res = await fetch(`${baseUrl}/login`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ token, ...form }).toString(),
      });
      return readPostForm(res.status, await res.text());
    },
    async loginAs(opts = {}) {
      const id = `_req${Math.random().toString(16).slice(2)}`;
      const started = await harness.sso({ id, ...opts.fields }, { relayState: "stato-123" });
      if (!started.token) throw new Error(`AuthnRequest refused: ${started.errorCode} ${started.html}`);
      const posted = await harness.login(started.token, {
        username: opts.username ?? "mario.rossi",
        password: "demo",
        otp: "123456",
        scenario: opts.scenario ?? "",
      });
      return { ...posted, requestId: id };
    },
  };
  return harness;
}

/** Verifies the ds:Signature that is a direct child of `element` with xml-crypto and the given certificate. */
export function verifyElementSignature(xml: string, element: Element, certificate: string): boolean {
  const signature = child(element, NS.ds, "Signature");
  if (!signature) return false;
  const sig = new SignedXml({ publicCert: certificate });
  sig.loadSignature(signature);
  try {
    return sig.checkSignature(xml);
  } catch {
    return false;
  }
}

/** Handy views of a Response document for assertions. */
export function inspectResponse(xml: string) {
  const doc = parseXml(xml) as Document;
  const root = doc.documentElement;
  const assertions = children(root, NS.saml, "Assertion");
  const assertion = assertions[assertions.length - 1];
  const attributes: Record<string, string> = {};
  for (const a of assertion ? descendants(assertion, NS.saml, "Attribute") : []) {
    attributes[a.getAttribute("Name") ?? ""] = descendants(a, NS.saml, "AttributeValue")[0]?.textContent ?? "";
  }
  const first = (ns: string, name: string) => (assertion ? descendants(assertion, ns, name)[0] : undefined);
  return {
    doc,
    root,
    assertions,
    assertion,
    attributes,
    statusCodes: descendants(root, NS.samlp, "StatusCode").map((s) => s.getAttribute("Value")),
    statusMessage: descendants(root, NS.samlp, "StatusMessage")[0]?.textContent,
    subjectConfirmationData: first(NS.saml, "SubjectConfirmationData"),
    conditions: first(NS.saml, "Conditions"),
    audience: first(NS.saml, "Audience")?.textContent,
    classRef: first(NS.saml, "AuthnContextClassRef")?.textContent,
    nameId: first(NS.saml, "NameID"),
  };
}
