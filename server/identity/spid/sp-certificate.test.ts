import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import forge from "node-forge";
import { describe, expect, it } from "vitest";
import { generateSpCertificate, SPID_POLICY_OIDS } from "./sp-certificate.ts";

const subject = { ipaCode: "r_demo", organizationName: "Regione Demo", entityId: "https://pagamenti.example.it/spid/metadata", localityName: "Roma" };

describe("SPID SP certificate (Avviso SPID n.29 v3)", () => {
  // One 2048-bit key for the checks (3072, the default, is slower to generate).
  const { keyPem, certPem } = generateSpCertificate(subject, { bits: 2048, days: 365, now: new Date("2026-11-22T10:00:00Z") });
  const cert = forge.pki.certificateFromPem(certPem);

  it("has the subject the notice asks for", () => {
    const field = (key: string) => cert.subject.attributes.find((a) => a.name === key || a.type === key)?.value;
    expect(field("commonName")).toBe("Regione Demo");
    expect(field("organizationName")).toBe("Regione Demo");
    expect(field("2.5.4.97")).toBe("PA:IT-r_demo");
    expect(field("countryName")).toBe("IT");
    expect(field("localityName")).toBe("Roma");
    expect(field("2.5.4.83")).toBe(subject.entityId);
  });

  it("is RSA 2048+ with SHA-256, key usage critical digitalSignature + nonRepudiation, SPID policies", () => {
    expect((cert.publicKey as forge.pki.rsa.PublicKey).n.bitLength()).toBe(2048);
    expect(cert.siginfo.algorithmOid).toBe(forge.pki.oids.sha256WithRSAEncryption);
    const keyUsage = cert.getExtension("keyUsage") as { critical: boolean; digitalSignature: boolean; nonRepudiation: boolean; keyEncipherment: boolean };
    expect(keyUsage).toMatchObject({ critical: true, digitalSignature: true, nonRepudiation: true, keyEncipherment: false });
    // Read back by an independent parser: OpenSSL.
    const dir = mkdtempSync(path.join(tmpdir(), "spid-cert-"));
    writeFileSync(path.join(dir, "cert.pem"), certPem);
    const text = execFileSync("openssl", ["x509", "-in", path.join(dir, "cert.pem"), "-noout", "-text"], { encoding: "utf8" });
    expect(text).toContain("Signature Algorithm: sha256WithRSAEncryption");
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Digital Signature, Non Repudiation/);
    expect(text).toContain(`Policy: ${SPID_POLICY_OIDS.agIdCert}`);
    expect(text).toContain(`Policy: ${SPID_POLICY_OIDS.spPublic}`);
    expect(text).toMatch(/organizationIdentifier ?= ?PA:IT-r_demo/);
    expect(text).toContain("Public-Key: (2048 bit)");
    // The key matches the certificate.
    const key = forge.pki.privateKeyFromPem(keyPem);
    const md = forge.md.sha256.create().update("spid", "utf8");
    expect((cert.publicKey as forge.pki.rsa.PublicKey).verify(md.digest().bytes(), key.sign(md))).toBe(true);
  });

  it("refuses keys shorter than 2048 bits and malformed IPA codes", () => {
    expect(() => generateSpCertificate(subject, { bits: 1024 })).toThrow("at least 2048");
    expect(() => generateSpCertificate({ ...subject, ipaCode: "PA IT" }, { bits: 2048 })).toThrow("not an IPA code");
  });

  it("the CLI writes the key (mode 600) and certificate", () => {
    const out = mkdtempSync(path.join(tmpdir(), "spid-cli-"));
    execFileSync(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "cli/generate-sp-certificate.ts"),
      "--ipa", "c_x001", "--name", "Comune di Borgo Fiorito", "--entity-id", "https://x.example/spid/metadata", "--locality", "Borgo Fiorito", "--out", out, "--bits", "2048"], { stdio: "pipe" });
    expect(statSync(path.join(out, "spid-sp-key.pem")).mode & 0o777).toBe(0o600);
    const written = forge.pki.certificateFromPem(readFileSync(path.join(out, "spid-sp-cert.pem"), "utf8"));
    expect(written.subject.getField({ type: "2.5.4.97" })?.value).toBe("PA:IT-c_x001");
  });
});
