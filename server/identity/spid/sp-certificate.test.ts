import { execFileSync, spawnSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import forge from "node-forge";
import { describe, expect, it } from "vitest";
import { certificateSerial, generateSpCertificate, SPID_POLICY_OIDS } from "./sp-certificate.ts";

const subject = {
  ipaCode: "r_demo",
  organizationName: "Regione Demo",
  entityId: "https://pagamenti.example.it/spid/metadata",
  localityName: "Roma",
};

describe("SPID SP certificate (Avviso SPID n.29 v3)", () => {
  // One 2048-bit key for the checks (3072, the default, is slower to generate).
  const { keyPem, certPem } = generateSpCertificate(subject, {
    bits: 2048,
    days: 365,
    now: new Date("2026-11-22T10:00:00Z"),
  });
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
    const keyUsage = cert.getExtension("keyUsage") as {
      critical: boolean;
      digitalSignature: boolean;
      nonRepudiation: boolean;
      keyEncipherment: boolean;
    };
    expect(keyUsage).toMatchObject({
      critical: true,
      digitalSignature: true,
      nonRepudiation: true,
      keyEncipherment: false,
    });
    // Read back by an independent parser: OpenSSL.
    const dir = mkdtempSync(path.join(tmpdir(), "spid-cert-"));
    writeFileSync(path.join(dir, "cert.pem"), certPem);
    const text = execFileSync("openssl", ["x509", "-in", path.join(dir, "cert.pem"), "-noout", "-text"], {
      encoding: "utf8",
    });
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

  it("gives a positive serial with no leading zero octet, whatever the random bytes", () => {
    const bytes = (...b: number[]) => String.fromCharCode(...b, ...Array.from({ length: 15 }, () => 0xab));
    for (const first of [0x00, 0x01, 0x7f, 0x80, 0xff]) {
      const hex = certificateSerial(bytes(first));
      expect(hex).toHaveLength(32);
      const lead = parseInt(hex.slice(0, 2), 16);
      expect(lead).toBeGreaterThan(0);
      expect(lead).toBeLessThan(0x80);
    }
    // The certificate carries it as generated: DER INTEGER of 16 octets, read back by OpenSSL.
    const serial = new X509Certificate(certPem).serialNumber;
    expect(serial).toMatch(/^[0-7][0-9A-F]{31}$/);
    expect(serial.slice(0, 2)).not.toBe("00");
  });

  it("refuses keys shorter than 2048 bits and malformed IPA codes", () => {
    expect(() => generateSpCertificate(subject, { bits: 1024 })).toThrow("at least 2048");
    expect(() => generateSpCertificate({ ...subject, ipaCode: "PA IT" }, { bits: 2048 })).toThrow("not an IPA code");
  });

  it("the CLI writes the key (mode 600) and certificate", () => {
    const out = mkdtempSync(path.join(tmpdir(), "spid-cli-"));
    execFileSync(
      process.execPath,
      [
        "--import",
        "tsx",
        path.join(import.meta.dirname, "cli/generate-sp-certificate.ts"),
        "--ipa",
        "c_x001",
        "--name",
        "Comune di Borgo Fiorito",
        "--entity-id",
        "https://x.example/spid/metadata",
        "--locality",
        "Borgo Fiorito",
        "--out",
        out,
        "--bits",
        "2048",
      ],
      { stdio: "pipe" },
    );
    expect(statSync(path.join(out, "spid-sp-key.pem")).mode & 0o777).toBe(0o600);
    const written = forge.pki.certificateFromPem(readFileSync(path.join(out, "spid-sp-cert.pem"), "utf8"));
    expect(written.subject.getField({ type: "2.5.4.97" })?.value).toBe("PA:IT-c_x001");
  }, 30_000);

  describe("an IPA code with `_` and an accented name (c_h501, Forlì)", () => {
    const real = generateSpCertificate(
      {
        ipaCode: "c_h501",
        organizationName: "Comune di Forlì",
        entityId: "https://pagamenti.example.it/spid/enti/c_h501/metadata",
        localityName: "Forlì",
      },
      { bits: 2048 },
    );
    const dir = mkdtempSync(path.join(tmpdir(), "spid-cert-utf8-"));
    const file = path.join(dir, "cert.pem");
    writeFileSync(file, real.certPem);

    it("writes every subject value as UTF8String (countryName PrintableString), none outside its type's alphabet", () => {
      const dump = execFileSync("openssl", ["asn1parse", "-in", file], { encoding: "latin1" });
      const strings = [...dump.matchAll(/prim: (\w+STRING)\s+:(.*)/g)].map((m) => ({
        type: m[1]!,
        value: Buffer.from(m[2]!, "latin1").toString("utf8"),
      }));
      expect(strings).toContainEqual({ type: "UTF8STRING", value: "PA:IT-c_h501" });
      expect(strings).toContainEqual({ type: "UTF8STRING", value: "Comune di Forlì" });
      expect(strings).toContainEqual({ type: "PRINTABLESTRING", value: "IT" });
      // X.680 PrintableString: letters, digits, space and '()+,-./:=? only.
      for (const s of strings.filter((x) => x.type === "PRINTABLESTRING"))
        expect(s.value).toMatch(/^[A-Za-z0-9 '()+,\-./:=?]*$/);
    });

    it("parses with node:crypto and OpenSSL, with organizationIdentifier and the Avviso 29 policies", () => {
      const x509 = new X509Certificate(real.certPem);
      expect(x509.subject).toContain("organizationIdentifier=PA:IT-c_h501");
      expect(x509.subject).toContain("O=Comune di Forlì");
      const text = execFileSync("openssl", ["x509", "-in", file, "-noout", "-text", "-nameopt", "utf8"], {
        encoding: "utf8",
      });
      expect(text).toMatch(/organizationIdentifier ?= ?PA:IT-c_h501/);
      expect(text).toContain(`Policy: ${SPID_POLICY_OIDS.agIdCert}`);
      expect(text).toContain(`Policy: ${SPID_POLICY_OIDS.spPublic}`);
    });

    // pyca/cryptography (rust-asn1) refuses a PrintableString holding `_`, as AgID's certificate checker does.
    const python = spawnSync("python3", ["-c", "import cryptography"]).status === 0;
    it.skipIf(!python)(
      "parses with pyca/cryptography's strict DER parser, policies included",
      () => {
        const script = [
          "import sys",
          "from cryptography import x509",
          "c = x509.load_pem_x509_certificate(open(sys.argv[1], 'rb').read())",
          "print(c.subject.get_attributes_for_oid(x509.ObjectIdentifier('2.5.4.97'))[0].value)",
          "print(','.join(p.policy_identifier.dotted_string for p in c.extensions.get_extension_for_class(x509.CertificatePolicies).value))",
        ].join("\n");
        const out = execFileSync("python3", ["-c", script, file], { encoding: "utf8" }).trim().split("\n");
        expect(out).toEqual(["PA:IT-c_h501", `${SPID_POLICY_OIDS.agIdCert},${SPID_POLICY_OIDS.spPublic}`]);
      },
      30_000,
    );
  });
});
