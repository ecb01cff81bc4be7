import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { generateSpCertificate, type SpCertificateSubject } from "./sp-certificate.ts";

export interface SpKeys {
  keyPem: string;
  certPem: string;
}

/**
 * An SP's key and certificate from `dir` (`spid-sp-key.pem`, `spid-sp-cert.pem`, as written by
 * `npm run spid:cert`). Outside production a missing pair is generated there with `subject`, so
 * development and tests need no set-up; in production a missing key is an operator's mistake and
 * stops the login rather than publishing metadata with a throwaway certificate.
 */
export function loadOrCreateSpKeys(dir: string, subject: SpCertificateSubject, production: boolean): SpKeys {
  const keyFile = path.join(dir, "spid-sp-key.pem");
  const certFile = path.join(dir, "spid-sp-cert.pem");
  if (!existsSync(keyFile) || !existsSync(certFile)) {
    if (production) throw new Error(`SPID SP key missing in ${dir}: create it with npm run spid:cert`);
    const made = generateSpCertificate(subject, { bits: 2048 });
    mkdirSync(dir, { recursive: true });
    writeFileSync(keyFile, made.keyPem, { mode: 0o600 });
    writeFileSync(certFile, made.certPem);
  }
  return { keyPem: readFileSync(keyFile, "utf8"), certPem: readFileSync(certFile, "utf8") };
}
