import forge from "node-forge";

export interface SignatureReading {
  kind: "CAdES" | "PAdES" | "none";
  /** The signer's name from the signing certificate (CN, else O), when one could be read. */
  signer: string | null;
}

function signerOf(der: string): string | null {
  const msg = forge.pkcs7.messageFromAsn1(forge.asn1.fromDer(der)) as forge.pkcs7.PkcsSignedData;
  const cert = msg.certificates?.[0];
  if (!cert) return null;
  const field = cert.subject.getField("CN") ?? cert.subject.getField("O");
  const value = field?.value as string | undefined;
  return value ? forge.util.decodeUtf8(value) : null;
}

/** The DER bytes of a .p7m, which comes as binary DER or as base64 (with or without PEM armour). */
function p7mDer(file: Buffer): string {
  if (file[0] === 0x30) return file.toString("binary");
  const b64 = file
    .toString("latin1")
    .replace(/-----[^-]+-----/g, "")
    .replace(/\s+/g, "");
  return forge.util.decode64(b64);
}

/**
 * Who signed the letter, best effort and without claiming the signature valid: node-forge reads
 * the certificates of a CMS SignedData (CAdES .p7m, or the /Contents of a PAdES PDF's signature
 * dictionary) but does not verify signatures, so the caller shows the name as read from the
 * certificate and says the signature was not verified. Anything unreadable gives signer null.
 */
export function readSigner(file: Buffer, fileName: string): SignatureReading {
  try {
    if (/\.p7m$/i.test(fileName)) return { kind: "CAdES", signer: signerOf(p7mDer(file)) };
    // PAdES: the signature dictionary's /Contents <hex> holds a detached CMS SignedData.
    const text = file.toString("latin1");
    const sig =
      /\/ByteRange\s*\[[^\]]*\][\s\S]{0,400}?\/Contents\s*<([0-9A-Fa-f]+)>/.exec(text) ??
      /\/Contents\s*<([0-9A-Fa-f]{200,})>[\s\S]{0,400}?\/ByteRange/.exec(text);
    if (!sig) return { kind: "none", signer: null };
    const hex = sig[1]!.replace(/(00)+$/, "");
    return { kind: "PAdES", signer: signerOf(forge.util.hexToBytes(hex.length % 2 ? `${hex}0` : hex)) };
  } catch {
    return { kind: /\.p7m$/i.test(fileName) ? "CAdES" : "none", signer: null };
  }
}
