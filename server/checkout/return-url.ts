/**
 * Whether a council's return URL is one of its registered prefixes (OTF payments, issue 14
 * item 2). The URL is parsed by WHATWG URL (what a browser will do with it) and compared on the
 * parsed parts, never on the raw text: same scheme, host and port (`origin`), no userinfo, no
 * fragment, and the normalised path starts with the prefix's path at a segment boundary
 * (`/pagamenti` admits `/pagamenti/esito`, not `/pagamenti-falsi`). Text a browser may read in
 * another way than URL does (backslashes, controls, spaces, encoded slashes or dots) is refused
 * outright, so the redirect can never leave the council's site.
 */
export type ReturnUrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

// Encoded "/", "\" and "." could be decoded by the council's server into another path.
const SUSPICIOUS = /[\\\s]|%2f|%5c|%2e/i;
const hasControl = (text: string) => [...text].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

function parse(text: string): URL | null {
  if (SUSPICIOUS.test(text) || hasControl(text)) return null;
  try {
    const url = new URL(text);
    return url.protocol === "https:" || url.protocol === "http:" ? url : null;
  } catch {
    return null;
  }
}

function pathMatches(path: string, prefixPath: string): boolean {
  if (prefixPath.endsWith("/")) return path.startsWith(prefixPath);
  return path === prefixPath || path.startsWith(`${prefixPath}/`);
}

export function checkReturnUrl(text: string, prefixes: readonly string[], production = false): ReturnUrlCheck {
  const url = parse(text);
  if (!url) return { ok: false, reason: "not an absolute http(s) URL, or it contains characters that are refused" };
  if (url.username || url.password) return { ok: false, reason: "user information (user:password@) is refused" };
  if (url.hash) return { ok: false, reason: "a fragment (#) is refused" };
  if (production && url.protocol !== "https:") return { ok: false, reason: "https is required" };
  if (/\/\//.test(url.pathname)) return { ok: false, reason: "an empty path segment (//) is refused" };
  for (const raw of prefixes) {
    const prefix = parse(raw);
    if (!prefix || prefix.username || prefix.password) continue;
    if (prefix.origin === url.origin && pathMatches(url.pathname, prefix.pathname)) return { ok: true, url };
  }
  return { ok: false, reason: "it does not begin with any of the client's registered return-URL prefixes" };
}

/** The council's URL for an outcome, with our payment id and outcome appended (its own query kept). */
export function councilReturnUrl(base: string, paymentId: string, outcome: string): string {
  const url = new URL(base);
  url.searchParams.set("paymentId", paymentId);
  url.searchParams.set("esito", outcome);
  return url.toString();
}
