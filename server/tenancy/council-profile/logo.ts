import { DOMParser } from "@xmldom/xmldom";

/** A logo is small: it sits in a page header and on every notice. */
export const LOGO_MAX_BYTES = 200 * 1024;

export type LogoContentType = "image/png" | "image/jpeg" | "image/svg+xml";

/**
 * SVG elements a logo may use: shapes, paths, text, gradients and groups. No script, no
 * foreignObject, no image, no use of another document, no animation: an SVG is refused rather
 * than cleaned, so what is stored is exactly what the admin uploaded.
 */
const SVG_ELEMENTS = new Set([
  "svg",
  "g",
  "path",
  "rect",
  "circle",
  "ellipse",
  "line",
  "polyline",
  "polygon",
  "text",
  "tspan",
  "defs",
  "lineargradient",
  "radialgradient",
  "stop",
  "title",
  "desc",
  "clippath",
  "mask",
  "symbol",
  "use",
  "style",
  "metadata",
]);

function svgProblem(bytes: Buffer): string | null {
  const text = bytes.toString("utf8");
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) return "il file SVG contiene una dichiarazione DOCTYPE: non è accettato";
  let bad: string | null = null;
  const doc = new DOMParser({
    errorHandler: {
      warning: () => (bad = "il file SVG non è XML valido"),
      error: () => (bad = "il file SVG non è XML valido"),
      fatalError: () => (bad = "il file SVG non è XML valido"),
    },
  }).parseFromString(text, "image/svg+xml");
  if (bad) return bad;
  const root = doc.documentElement;
  if (!root || root.localName !== "svg") return "il file non è un'immagine SVG";
  const stack = [root as unknown as Element];
  while (stack.length) {
    const el = stack.pop()!;
    const name = (el.localName ?? "").toLowerCase();
    if (!SVG_ELEMENTS.has(name)) return `il file SVG contiene l'elemento «${el.localName}», non ammesso in un logo`;
    if (name === "style" && /url\s*\(|@import/i.test(el.textContent ?? ""))
      return "il file SVG carica risorse esterne dallo stile: non è ammesso";
    for (let i = 0; i < el.attributes.length; i++) {
      const attr = el.attributes.item(i)!;
      const attrName = attr.name.toLowerCase();
      const value = attr.value.trim();
      if (attrName.startsWith("on")) return `il file SVG contiene l'attributo «${attr.name}»: non è ammesso`;
      // Only references inside the document (#id): nothing is fetched, nothing is a link.
      if ((attrName === "href" || attrName.endsWith(":href")) && !value.startsWith("#"))
        return "il file SVG rimanda a risorse esterne: non è ammesso";
      if (/url\s*\(\s*['"]?(?!#)/i.test(value) || /javascript:/i.test(value))
        return "il file SVG rimanda a risorse esterne: non è ammesso";
    }
    for (let c = el.firstChild; c; c = c.nextSibling) if (c.nodeType === 1) stack.push(c as unknown as Element);
  }
  return null;
}

/**
 * Checks an uploaded logo by its bytes, never by its name or declared type: PNG and JPEG by
 * their signatures, SVG by parsing it against an allowlist (see SVG_ELEMENTS).
 * @returns the content type, or the Italian reason it is refused
 */
export function checkLogo(bytes: Buffer): { ok: true; contentType: LogoContentType } | { ok: false; reason: string } {
  if (bytes.length === 0) return { ok: false, reason: "scegli un file" };
  if (bytes.length > LOGO_MAX_BYTES)
    return { ok: false, reason: `il logo supera ${LOGO_MAX_BYTES / 1024} KB: riducilo e riprova` };
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return { ok: true, contentType: "image/png" };
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return { ok: true, contentType: "image/jpeg" };
  const head = bytes.subarray(0, 512).toString("utf8").trimStart();
  if (head.startsWith("<?xml") || head.startsWith("<svg") || head.startsWith("<!--")) {
    const problem = svgProblem(bytes);
    return problem ? { ok: false, reason: problem } : { ok: true, contentType: "image/svg+xml" };
  }
  return { ok: false, reason: "formato non ammesso: carica un'immagine PNG, JPEG o SVG" };
}
