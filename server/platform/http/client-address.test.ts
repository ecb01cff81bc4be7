import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../config/env.ts";
import { clientAddress, compileTrust, fromTrustedProxy, type TrustProxySetting } from "./client-address.ts";

// The station's lean handler reads the caller's address with clientAddress, Express (the staff
// login limiter, the station's Express door) with req.ip: both must give the same address for
// every TRUST_PROXY form, and that address must be the right-most untrusted entry.
const SETTINGS: Record<string, TrustProxySetting> = {
  off: false,
  hop1: 1,
  hop2: 2,
  loopback: ["loopback"],
  list: ["10.0.0.0/8", "127.0.0.1"],
};

describe("clientAddress", () => {
  const cases: Array<string | undefined> = [
    undefined,
    "",
    "203.0.113.7",
    "203.0.113.7, 10.0.0.1",
    " 198.51.100.2 ,10.0.0.1",
    ", ,192.0.2.9",
    " , ",
    "2001:db8::1, 10.0.0.2",
    "::ffff:192.0.2.1",
    "6.6.6.6, 203.0.113.7, 10.0.0.3",
  ];
  let server: ReturnType<express.Express["listen"]>;
  let base: string;

  beforeAll(async () => {
    // req.ip reads the setting of the application that routes the request: one per setting.
    const root = express();
    for (const [name, setting] of Object.entries(SETTINGS)) {
      const trust = compileTrust(setting);
      root.use(
        `/${name}`,
        express()
          .set("trust proxy", trust)
          .get("/", (req, res) => {
            res.json({ express: req.ip, ours: clientAddress(req, trust), trusted: fromTrustedProxy(req, trust) });
          }),
      );
    }
    server = root.listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  const ask = async (name: string, xff?: string) => {
    const res = await fetch(`${base}/${name}/`, { headers: xff === undefined ? {} : { "x-forwarded-for": xff } });
    return (await res.json()) as { express: string; ours: string; trusted: boolean };
  };

  it.each(cases.map((xff) => ({ xff })))(
    "agrees with Express for X-Forwarded-For $xff under every TRUST_PROXY form",
    async ({ xff }) => {
      for (const name of Object.keys(SETTINGS)) {
        const { express: expected, ours } = await ask(name, xff);
        expect(ours, name).toBe(expected);
      }
    },
  );

  it("takes the right-most untrusted entry, so an address the client wrote itself never wins", async () => {
    const xff = "6.6.6.6, 203.0.113.7, 10.0.0.3";
    expect((await ask("off", xff)).ours).toBe("127.0.0.1");
    expect((await ask("hop1", xff)).ours).toBe("10.0.0.3");
    expect((await ask("hop2", xff)).ours).toBe("203.0.113.7");
    expect((await ask("loopback", xff)).ours).toBe("10.0.0.3");
    expect((await ask("list", xff)).ours).toBe("203.0.113.7");
  });

  it("says whether the peer is a trusted proxy (whose headers may be believed)", async () => {
    expect((await ask("off")).trusted).toBe(false);
    expect((await ask("loopback")).trusted).toBe(true);
    expect(fromTrustedProxy({ socket: { remoteAddress: "198.51.100.1" } as never }, compileTrust(["10.0.0.0/8"]))).toBe(
      false,
    );
  });
});

describe("TRUST_PROXY", () => {
  const parse = (value: string) => loadConfig({ TRUST_PROXY: value }).TRUST_PROXY;
  it("takes false, a hop count, or proxy addresses and ranges", () => {
    expect(parse("false")).toBe(false);
    expect(parse("2")).toBe(2);
    expect(parse("10.0.0.1, 192.168.0.0/16,loopback")).toEqual(["10.0.0.1", "192.168.0.0/16", "loopback"]);
  });
  it("refuses true (it would trust whatever a client writes) and malformed addresses", () => {
    expect(() => parse("true")).toThrow(/TRUST_PROXY.*hop count/);
    expect(() => parse("10.0.0.0/99")).toThrow(/TRUST_PROXY/);
    expect(() => parse("proxy.example")).toThrow(/TRUST_PROXY/);
  });
});
