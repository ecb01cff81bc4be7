import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import forge from "node-forge";

/** A private key and its self-signed certificate, both PEM. */
export interface KeyPair {
  privateKeyPem: string;
  certificatePem: string;
}

/** The certificate body as it appears inside ds:X509Certificate (base64 DER, no armour). */
export function certificateBody(pem: string): string {
  return pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, "").replace(/\s+/g, "");
}

/** Wraps a base64 DER certificate (as found in metadata) back into PEM. */
export function certificatePem(body: string): string {
  const clean = body.replace(/\s+/g, "");
  const lines = clean.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`;
}

/**
 * Generates an RSA key and a self-signed certificate with the subject fields SPID asks of
 * federation certificates (organisation, entity id as URI). 2048 bits keeps first start quick;
 * real SPID entities use 3072 or more, which is irrelevant to a test IdP.
 */
export function generateKeyPair(commonName: string, entityId: string, bits = 2048): KeyPair {
  const keys = forge.pki.rsa.generateKeyPair({ bits, e: 0x10001 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = `01${forge.util.bytesToHex(forge.random.getBytesSync(15))}`;
  cert.validity.notBefore = new Date(Date.now() - 24 * 3600 * 1000);
  cert.validity.notAfter = new Date(Date.now() + 10 * 365 * 24 * 3600 * 1000);
  const attrs = [
    { name: "commonName", value: commonName },
    { name: "organizationName", value: "PontePA sviluppo" },
    { name: "countryName", value: "IT" },
    { name: "localityName", value: "Roma" },
  ];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: "basicConstraints", cA: false },
    { name: "keyUsage", digitalSignature: true, nonRepudiation: true },
    { name: "subjectAltName", altNames: [{ type: 6, value: entityId }] },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return {
    privateKeyPem: forge.pki.privateKeyToPem(keys.privateKey),
    certificatePem: forge.pki.certificateToPem(cert),
  };
}

/**
 * Loads `<name>-key.pem` and `<name>-cert.pem` from dataDir, creating them on first start so the
 * IdP keeps the same certificate across restarts (SPs pin it from our metadata).
 */
export async function loadOrCreateKeyPair(dataDir: string, name: string, entityId: string): Promise<KeyPair> {
  const keyFile = path.join(dataDir, `${name}-key.pem`);
  const certFile = path.join(dataDir, `${name}-cert.pem`);
  try {
    const [privateKeyPem, certificatePem] = await Promise.all([readFile(keyFile, "utf8"), readFile(certFile, "utf8")]);
    return { privateKeyPem, certificatePem };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const pair = generateKeyPair(`PontePA SPID test IdP (${name})`, entityId);
  await mkdir(dataDir, { recursive: true });
  await writeFile(keyFile, pair.privateKeyPem, { mode: 0o600 });
  await writeFile(certFile, pair.certificatePem);
  return pair;
}
