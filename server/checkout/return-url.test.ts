import { describe, expect, it } from "vitest";
import { checkReturnUrl, councilReturnUrl } from "./return-url.ts";

const PREFIXES = ["https://portale.comune.example.it/pagamenti", "https://tributi.comune.example.it/"];

describe("checkReturnUrl: only the council's registered prefixes, parsed as a browser parses them", () => {
  it.each([
    "https://portale.comune.example.it/pagamenti",
    "https://portale.comune.example.it/pagamenti/esito?pratica=42",
    "https://portale.comune.example.it/pagamenti/a/../esito",
    "https://PORTALE.comune.example.it:443/pagamenti/ok",
    "https://tributi.comune.example.it/",
    "https://tributi.comune.example.it/imu/esito",
  ])("accepts %s", (url) => {
    expect(checkReturnUrl(url, PREFIXES).ok).toBe(true);
  });

  it.each([
    ["another path beside the prefix", "https://portale.comune.example.it/pagamenti-falsi"],
    ["dot segments leaving the prefix", "https://portale.comune.example.it/pagamenti/../admin"],
    ["encoded dot segments", "https://portale.comune.example.it/pagamenti/%2e%2e/admin"],
    ["an encoded slash", "https://portale.comune.example.it/pagamenti%2f..%2fadmin"],
    ["userinfo", "https://portale.comune.example.it@evil.example/pagamenti"],
    ["userinfo on the right host", "https://x:y@portale.comune.example.it/pagamenti"],
    ["another port", "https://portale.comune.example.it:8443/pagamenti"],
    ["another scheme", "http://portale.comune.example.it/pagamenti"],
    ["a suffix host", "https://portale.comune.example.it.evil.example/pagamenti"],
    ["a scheme-relative URL", "//evil.example/pagamenti"],
    ["a backslash", "https://portale.comune.example.it\\@evil.example/pagamenti"],
    ["a double slash in the path", "https://portale.comune.example.it/pagamenti//evil.example"],
    ["a fragment", "https://portale.comune.example.it/pagamenti#x"],
    ["javascript", "javascript:alert(1)//https://portale.comune.example.it/pagamenti"],
    ["a relative path", "/pagamenti"],
    ["a newline", "https://portale.comune.example.it/pagamenti\n"],
  ])("refuses %s", (_why, url) => {
    expect(checkReturnUrl(url, PREFIXES).ok).toBe(false);
  });

  it("refuses everything when the client has no prefixes, and plain http in production", () => {
    expect(checkReturnUrl("https://portale.comune.example.it/pagamenti", []).ok).toBe(false);
    expect(checkReturnUrl("http://127.0.0.1:9000/ok", ["http://127.0.0.1:9000/"], true).ok).toBe(false);
    expect(checkReturnUrl("http://127.0.0.1:9000/ok", ["http://127.0.0.1:9000/"]).ok).toBe(true);
  });

  it("appends our payment id and outcome, keeping the council's own query", () => {
    expect(councilReturnUrl("https://portale.comune.example.it/pagamenti/esito?pratica=42", "abc", "ok")).toBe(
      "https://portale.comune.example.it/pagamenti/esito?pratica=42&paymentId=abc&esito=ok",
    );
  });
});
