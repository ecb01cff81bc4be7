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
    logger.info(
      {
        debtor: { fiscalCode: "RSSMRA85T10A562S", name: "ok" },
        account: { iban: "IT60X0542811101000000123456" },
        session: { token: "s3cr3t" },
      },
      "x",
    );
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

describe("logger redaction at any depth and in error messages (issue 13 item 10)", () => {
  it("redacts personal data and credentials however deep the key is, and at the top level", () => {
    const { lines, logger } = capture();
    logger.info(
      {
        fiscalCode: "RSSMRA85T10A562S",
        job: { data: { position: { debtor: { email: "mario@example.org", IBAN: "IT60X0542811101000000123456" } } } },
        headers: { Authorization: "Bearer abc" },
      },
      "x",
    );
    const entry = JSON.parse(lines[0]!);
    expect(entry.fiscalCode).toBe("[REDACTED]");
    expect(entry.job.data.position.debtor).toEqual({ email: "[REDACTED]", IBAN: "[REDACTED]" });
    expect(entry.headers.Authorization).toBe("[REDACTED]");
  });

  it("masks fiscal codes, IBANs and e-mails in error messages and stacks, and in any string value", () => {
    const { lines, logger } = capture();
    const err = new Error(
      "duplicate debtor RSSMRA85T10A562S (mario.rossi@comune.example) on IT60X0542811101000000123456",
    );
    logger.error({ err, note: "sent to anna@example.org" }, "failed for luigi@example.org");
    const out = lines.join("");
    for (const secret of [
      "RSSMRA85T10A562S",
      "mario.rossi@comune.example",
      "IT60X0542811101000000123456",
      "anna@example.org",
      "luigi@example.org",
    ])
      expect(out).not.toContain(secret);
    const entry = JSON.parse(lines[0]!);
    expect(entry.err.message).toBe("duplicate debtor [CF] ([EMAIL]) on [IBAN]");
    expect(entry.err.stack).toContain("duplicate debtor [CF]");
    expect(entry.err.type).toBe("Error");
    expect(entry.note).toBe("sent to [EMAIL]");
    expect(entry.msg).toBe("failed for [EMAIL]");
  });
});

describe("logger redaction leaves what pino serializes itself alone", () => {
  it("does not walk or copy class instances such as requests", () => {
    const { lines, logger } = capture();
    class Thing {
      email = "hidden@example.org";
      toJSON() {
        return { kind: "thing" };
      }
    }
    logger.info({ thing: new Thing(), at: new Date(0) }, "x");
    expect(JSON.parse(lines[0]!)).toMatchObject({ thing: { kind: "thing" }, at: "1970-01-01T00:00:00.000Z" });
  });
});
