import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientAddress } from "./station-http.ts";

// clientAddress must read the caller's address exactly as Express's req.ip does (the station's
// allowed-sources protection depends on it): both are computed on the same requests.
describe("clientAddress", () => {
  const cases: Array<string | undefined> = [undefined, "", "203.0.113.7", "203.0.113.7, 10.0.0.1", " 198.51.100.2 ,10.0.0.1", ", ,192.0.2.9", " , ", "2001:db8::1, 10.0.0.2", "::ffff:192.0.2.1"];
  let server: ReturnType<express.Express["listen"]>;
  let base: string;

  beforeAll(async () => {
    // req.ip reads the setting of the application that routes the request: one per setting.
    const answering = (trust: boolean) =>
      express().set("trust proxy", trust).get("/", (req, res) => {
        res.json({ express: req.ip, ours: clientAddress(req, trust) });
      });
    server = express().use("/trust", answering(true)).use("/plain", answering(false)).listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it.each(cases.map((xff) => ({ xff })))("agrees with Express for X-Forwarded-For $xff, with and without TRUST_PROXY", async ({ xff }) => {
    for (const path of ["/trust/", "/plain/"]) {
      const res = await fetch(`${base}${path}`, { headers: xff === undefined ? {} : { "x-forwarded-for": xff } });
      const { express: expected, ours } = (await res.json()) as { express: string; ours: string };
      expect(ours).toBe(expected);
    }
  });
});
