// Integration-test harness: the real soap role on port 0, real PostgreSQL and Redis, real HTTP.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { startRole, type RunningRole } from "../../../roles/roles.ts";
import { testDeps } from "../../support.ts";
import type { Deps } from "../../../platform/deps.ts";
import { parseEnvelope, PA_FOR_NODE_NS } from "../../../nodo/station/envelope.ts";

const run = promisify(execFile);
const REPO_ROOT = resolve(fileURLToPath(new URL("../../../../", import.meta.url)));

export interface Station {
  url: string;
  deps: Deps;
  role: RunningRole;
  stop(): Promise<void>;
}

export async function startStation(env: Record<string, string> = {}): Promise<Station> {
  // The tests change stations and councils between requests and expect the next request to
  // see it, so routing is not remembered unless a test asks (station-routing-cache.int.test.ts).
  const deps = testDeps({ SOAP_ROUTING_CACHE_MS: "0", ...env });
  const role = await startRole("soap", deps);
  return {
    url: `${role.url}/nodo/paForNode`,
    deps,
    role,
    async stop() {
      await role.stop();
      await deps.close();
    },
  };
}

export interface SoapReply {
  status: number;
  body: string;
  /** The response element's children (outcome, fault, data …) as plain data. */
  payload: Record<string, unknown>;
  element: string;
  outcome: string | undefined;
  faultCode: string | undefined;
}

/** Posts a SOAP 1.1 request and reads the answer; every answer is kept for XSD validation. */
export async function post(
  url: string,
  xml: string | Buffer,
  headers: Record<string, string> = {},
): Promise<SoapReply> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "text/xml; charset=utf-8", soapaction: '""', ...headers },
    body: typeof xml === "string" ? xml : new Uint8Array(xml),
  });
  const body = await res.text();
  collected.push(body);
  let payload: Record<string, unknown> = {};
  let element = "";
  try {
    const parsed = parseEnvelope(body);
    payload = parsed.payload as Record<string, unknown>;
    element = parsed.element;
  } catch {
    // Not SOAP (should not happen): the assertions on outcome will say so.
  }
  const fault = payload.fault as Record<string, string> | undefined;
  return {
    status: res.status,
    body,
    payload,
    element,
    outcome: payload.outcome as string | undefined,
    faultCode: fault?.faultCode,
  };
}

const collected: string[] = [];

/** The official paForNode.xsd, when PAGOPA_SPECS_DIR (default ../shared/specs/pagopa) has it. */
export function officialXsd(): string | null {
  const dir = resolve(REPO_ROOT, process.env.PAGOPA_SPECS_DIR ?? "../shared/specs/pagopa");
  const xsd = join(dir, "wsdl/xsd/paForNode.xsd");
  return existsSync(xsd) ? xsd : null;
}

export const OWN_XSD = join(REPO_ROOT, "server/nodo/contract/pa-for-node.xsd");

const RESPONSE = /<pafn:(\w+)>[\s\S]*<\/pafn:\1>/;

/**
 * Validates with xmllint every paForNode response collected so far against `xsd`: the body's
 * element is written out on its own (with its namespace) and checked. Returns the number of
 * documents checked; throws with xmllint's complaints when one is invalid. SOAP Faults (answers
 * to broken envelopes) have no paForNode element and are not part of the check.
 */
export async function validateCollectedResponses(xsd: string): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "pontepa-soap-"));
  try {
    const files = collected.flatMap((body, i) => {
      const m = RESPONSE.exec(body);
      if (!m) return [];
      const doc = m[0].replace(`<pafn:${m[1]}>`, `<pafn:${m[1]} xmlns:pafn="${PA_FOR_NODE_NS}">`);
      const file = join(dir, `r${i}.xml`);
      writeFileSync(file, doc);
      return [file];
    });
    for (let i = 0; i < files.length; i += 200) {
      await run("xmllint", ["--noout", "--schema", xsd, ...files.slice(i, i + 200)], {
        maxBuffer: 32 * 1024 * 1024,
      }).catch((err: { stderr?: string }) => {
        throw new Error(
          `responses not valid against ${xsd}:\n${(err.stderr ?? "")
            .split("\n")
            .filter((l) => !l.endsWith(" validates"))
            .slice(0, 20)
            .join("\n")}`,
        );
      });
    }
    return files.length;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** How many responses of each element were collected (so a test can show it checked some). */
export function collectedCount(): number {
  return collected.filter((b) => RESPONSE.test(b)).length;
}
