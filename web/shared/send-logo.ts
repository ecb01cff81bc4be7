import type { Request, Response } from "express";

/**
 * Sends a council's logo. Its URL carries the logo's hash (`?v=`), so a request with the current
 * hash is cached for a year (a new logo has a new URL); any other is revalidated by ETag. An SVG
 * gets a policy that forbids scripts and loads even if one slipped past the upload check.
 */
export function sendLogo(
  req: Request,
  res: Response,
  logo: { bytes: Buffer; contentType: string; sha256: string },
  scope: "public" | "private",
): void {
  const etag = `"${logo.sha256}"`;
  res.set("ETag", etag);
  res.set(
    "Cache-Control",
    req.query.v === logo.sha256 ? `${scope}, max-age=31536000, immutable` : `${scope}, max-age=0, must-revalidate`,
  );
  res.set("X-Content-Type-Options", "nosniff");
  res.set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox");
  if (req.headers["if-none-match"] === etag) {
    res.status(304).end();
    return;
  }
  res.type(logo.contentType).send(logo.bytes);
}
