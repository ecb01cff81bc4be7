import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { PA_FOR_NODE_NS } from "./soap.ts";

const run = promisify(execFile);

/** The Body's first element as a standalone document, its namespace prefix declared on it. */
export function bodyElement(envelope: string): string | undefined {
  const open = /<(?:\w+:)?Body[^>]*>/.exec(envelope);
  if (!open) return undefined;
  const after = envelope.slice(open.index + open[0].length);
  const m = /^\s*<(?:(\w+):)?(\w+)([^>]*)>/.exec(after);
  if (!m) return undefined;
  const [, prefix, name, attrs] = m as unknown as [string, string | undefined, string, string];
  const closing = prefix ? `</${prefix}:${name}>` : `</${name}>`;
  const end = after.indexOf(closing);
  if (end < 0) return undefined;
  const doc = after.slice(0, end + closing.length).trim();
  if (prefix && !attrs.includes(`xmlns:${prefix}=`))
    return doc.replace(`<${prefix}:${name}`, `<${prefix}:${name} xmlns:${prefix}="${PA_FOR_NODE_NS}"`);
  if (!prefix && !attrs.includes("xmlns=")) return doc.replace(`<${name}`, `<${name} xmlns="${PA_FOR_NODE_NS}"`);
  return doc;
}

export interface Violation {
  at: string;
  operation: string;
  message: string;
  body: string;
}

/**
 * Checks every answer of the station against the official paForNode.xsd with xmllint: the Body's
 * element is written out on its own with its namespace. Violations are kept for
 * GET /admin/violations and logged loudly; with no specs folder the check is off, said once.
 */
export class XsdChecker {
  readonly violations: Violation[] = [];
  readonly xsd: string | null;

  constructor(
    specsDir: string,
    private readonly log: (level: "warn" | "error", msg: string, extra?: object) => void,
  ) {
    const xsd = path.join(specsDir, "wsdl/xsd/paForNode.xsd");
    this.xsd = existsSync(xsd) ? xsd : null;
    if (!this.xsd)
      log(
        "warn",
        `official paForNode.xsd not found under ${specsDir}: the station's answers will not be schema-checked`,
      );
  }

  async check(operation: string, body: string): Promise<Violation | undefined> {
    if (!this.xsd) return undefined;
    const standalone = bodyElement(body);
    if (!standalone) return this.record(operation, "no paForNode element in the answer", body);
    const dir = mkdtempSync(path.join(tmpdir(), "nodo-sim-"));
    try {
      const file = path.join(dir, "answer.xml");
      writeFileSync(file, standalone);
      await run("xmllint", ["--noout", "--nonet", "--schema", this.xsd, file]);
      return undefined;
    } catch (err) {
      const stderr = (err as { stderr?: string }).stderr ?? String(err);
      return this.record(
        operation,
        stderr
          .split("\n")
          .filter((l) => l && !l.endsWith("validates"))
          .join("; "),
        body,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  private record(operation: string, message: string, body: string): Violation {
    const v = { at: new Date().toISOString(), operation, message, body: body.slice(0, 4000) };
    this.violations.push(v);
    this.log("error", `STATION ANSWER VIOLATES paForNode.xsd (${operation}): ${message}`);
    return v;
  }
}
