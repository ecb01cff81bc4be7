import { describe, expect, it } from "vitest";
import { Writable } from "node:stream";
import { createLogger } from "./logger.ts";

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, logger: createLogger({ level: "info", role: "test", destination }) };
}

describe("logger redaction", () => {
  it("redacts fiscal codes, IBANs and tokens by key", () => {
    const { lines, logger } = capture();
    logger.info({ debtor: { fiscalCode: "RSSMRA85T10A562S", name: "ok" }, account: { iban: "IT60X0542811101000000123456" }, session: { token: "s3cr3t" } }, "x");
    const out = lines.join("");
    expect(out).not.toContain("RSSMRA85T10A562S");
    expect(out).not.toContain("IT60X0542811101000000123456");
    expect(out).not.toContain("s3cr3t");
    expect(out).toContain("[REDACTED]");
    expect(JSON.parse(out)).toMatchObject({ role: "test", debtor: { name: "ok" } });
  });

  it("masks fiscal codes and IBANs inside messages", () => {
    const { lines, logger } = capture();
    logger.warn("payer RSSMRA85T10A562S paid to IT60X0542811101000000123456");
    const entry = JSON.parse(lines[0]!);
    expect(entry.msg).toBe("payer [CF] paid to [IBAN]");
  });
});
