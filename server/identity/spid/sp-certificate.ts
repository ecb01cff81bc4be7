import forge from "node-forge";

/** What Avviso SPID n.29 v3 puts in a public-sector SP's certificate subject. */
export interface SpCertificateSubject {
  /** The body's name (organizationName), also used as commonName unless given. */
  organizationName: string;
  commonName?: string;
  /** IPA code: organizationIdentifier becomes `PA:IT-<ipaCode>`. */
  ipaCode: string;
  /** The SP's entityID (uri in the subject). */
  entityId: string;
  localityName: string;
}

export interface SpCertificateOptions {
  /** RSA modulus length: at least 2048 as the notice requires (default 3072). */
  bits?: number;
  /** Validity in days (default 730). */
  days?: number;
  now?: Date;
}

/** SPID certificate policies for service providers: agIDcert (1.3.76.16.6) and the SP-public-body policy. */
export const SPID_POLICY_OIDS = { agIdCert: "1.3.76.16.6", spPublic: "1.3.76.16.4.2.1" } as const;
const OID = { organizationIdentifier: "2.5.4.97", uri: "2.5.4.83" } as const;

/**
 * A self-signed SP key and certificate as SPID notice n.29 v3 requires for a public body:
 * subject with commonName, organizationName, organizationIdentifier `PA:IT-<IPA>`, countryName IT,
 * localityName and the entityID as uri (UTF8String, countryName PrintableString); certificatePolicies 1.3.76.16.6 and 1.3.76.16.4.2.1;
 * keyUsage critical digitalSignature + nonRepudiation; RSA ≥ 2048 bits; SHA-256.
 */
export function generateSpCertificate(
  subject: SpCertificateSubject,
  options: SpCertificateOptions = {},
): { keyPem: string; certPem: string } {
  const bits = options.bits ?? 3072;
  if (bits < 2048) throw new RangeError("SPID requires RSA keys of at least 2048 bits");
  if (!/^[a-z0-9_]{2,40}$/i.test(subject.ipaCode)) throw new Error(`not an IPA code: ${subject.ipaCode}`);
  const now = options.now ?? new Date();
  const keys = forge.pki.rsa.generateKeyPair({ bits, e: 0x10001 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = certificateSerial(forge.random.getBytesSync(16));
  cert.validity.notBefore = now;
  cert.validity.notAfter = new Date(now.getTime() + (options.days ?? 730) * 86_400_000);
  // UTF8String wherever the profile allows it: PrintableString cannot hold `_` (IPA codes such as
  // c_h501) nor accented letters (Forlì), and strict parsers (AgID's checker) refuse the result.
  // countryName stays PrintableString, as X.520 defines it.
  // (@types/node-forge types valueTagClass as asn1.Class; forge reads an asn1.Type there.)
  const tag = (t: forge.asn1.Type) => t as unknown as forge.asn1.Class;
  const utf8 = tag(forge.asn1.Type.UTF8);
  const attrs = [
    { name: "commonName", value: subject.commonName ?? subject.organizationName, valueTagClass: utf8 },
    { name: "organizationName", value: subject.organizationName, valueTagClass: utf8 },
    { type: OID.organizationIdentifier, value: `PA:IT-${subject.ipaCode}`, valueTagClass: utf8 },
    { name: "countryName", value: "IT", valueTagClass: tag(forge.asn1.Type.PRINTABLESTRING) },
    { name: "localityName", value: subject.localityName, valueTagClass: utf8 },
    { type: OID.uri, value: subject.entityId, valueTagClass: utf8 },
  ];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: "basicConstraints", cA: false },
    { name: "keyUsage", critical: true, digitalSignature: true, nonRepudiation: true },
    { name: "subjectKeyIdentifier" },
    {
      id: "2.5.29.32",
      critical: false,
      value: certificatePolicies([SPID_POLICY_OIDS.agIdCert, SPID_POLICY_OIDS.spPublic]),
    },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { keyPem: forge.pki.privateKeyToPem(keys.privateKey), certPem: forge.pki.certificateToPem(cert) };
}

/**
 * The hex serial for 16 random bytes, positive and minimally encoded in DER as RFC 5280 asks: the
 * top bit cleared (no sign byte needed) and the first byte never 0 (no leading zero octet). The
 * earlier "0" + 32 hex digits put a 0x00 octet in front of every serial, a padding DER forbids
 * when the next bit is 0, and two zero octets when the first random byte was 0; strict parsers
 * (OpenSSL's, through Node's X509Certificate in xml-crypto) refused some of those certificates.
 */
export function certificateSerial(random: string): string {
  const first = random.charCodeAt(0) & 0x7f || 0x01;
  return forge.util.bytesToHex(String.fromCharCode(first) + random.slice(1));
}

/** DER of a certificatePolicies extension value: a SEQUENCE of PolicyInformation { policyIdentifier }. */
function certificatePolicies(oids: string[]): string {
  const { asn1 } = forge;
  const seq = asn1.create(
    asn1.Class.UNIVERSAL,
    asn1.Type.SEQUENCE,
    true,
    oids.map((oid) =>
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
        asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(oid).getBytes()),
      ]),
    ),
  );
  return asn1.toDer(seq).getBytes();
}
