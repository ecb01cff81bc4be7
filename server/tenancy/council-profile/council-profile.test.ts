import { describe, expect, it } from "vitest";
import { checkLogo, LOGO_MAX_BYTES } from "./logo.ts";
import { colourProblem, contrastWithWhite } from "./colour.ts";

const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);
const svg = (body: string) => Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">${body}</svg>`);

describe("council colour", () => {
  it("measures white text's contrast as WCAG does", () => {
    expect(contrastWithWhite("#000000")).toBeCloseTo(21, 5);
    expect(contrastWithWhite("#FFFFFF")).toBeCloseTo(1, 5);
    // Bootstrap Italia's primary blue is AA with white text.
    expect(contrastWithWhite("#0066CC")).toBeGreaterThan(4.5);
  });
  it("refuses a light colour with an Italian reason and a malformed one", () => {
    expect(colourProblem("#0066CC")).toBeNull();
    expect(colourProblem("#FFD700")).toMatch(/troppo chiaro.*4,5:1/);
    expect(colourProblem("#777777")).toMatch(/troppo chiaro/); // 4.48:1, just under
    expect(colourProblem("#767676")).toBeNull(); // 4.54:1, just over
    expect(colourProblem("blu")).toMatch(/esadecimale/);
  });
});

describe("council logo", () => {
  it("recognises PNG and JPEG by their bytes", () => {
    expect(checkLogo(PNG)).toEqual({ ok: true, contentType: "image/png" });
    expect(checkLogo(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))).toEqual({ ok: true, contentType: "image/jpeg" });
  });
  it("refuses other files, empty files and files over the limit", () => {
    expect(checkLogo(Buffer.from("GIF89a..."))).toMatchObject({ ok: false, reason: /PNG, JPEG o SVG/ });
    expect(checkLogo(Buffer.alloc(0))).toMatchObject({ ok: false });
    expect(checkLogo(Buffer.concat([PNG, Buffer.alloc(LOGO_MAX_BYTES)]))).toMatchObject({ ok: false, reason: /KB/ });
  });
  it("accepts a plain SVG of shapes and text", () => {
    expect(
      checkLogo(svg('<title>Stemma</title><circle cx="5" cy="5" r="4" fill="#06c"/><text x="1" y="9">C</text>')),
    ).toEqual({
      ok: true,
      contentType: "image/svg+xml",
    });
  });
  it.each([
    ["a script", "<script>alert(1)</script>"],
    ["an event handler", '<rect width="1" height="1" onload="alert(1)"/>'],
    ["an external link", '<use href="https://example.org/x.svg#a"/>'],
    ["a javascript link", '<use href="javascript:alert(1)"/>'],
    ["a foreignObject", "<foreignObject><p>x</p></foreignObject>"],
    ["an embedded image", '<image href="data:image/png;base64,AAAA"/>'],
    ["a style fetching a font", "<style>@import url(https://example.org/f.css);</style>"],
    ["a fill from another document", '<rect fill="url(https://example.org/p.svg#g)"/>'],
  ])("refuses an SVG with %s", (_, body) => {
    expect(checkLogo(svg(body))).toMatchObject({ ok: false });
  });
  it("refuses a DOCTYPE (entity expansion) and broken XML", () => {
    expect(checkLogo(Buffer.from('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "b">]><svg/>'))).toMatchObject({
      ok: false,
    });
    expect(checkLogo(Buffer.from("<svg><g></svg>"))).toMatchObject({ ok: false });
  });
});
