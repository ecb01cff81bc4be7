/**
 * A PSP counter on the command line, like a tabaccheria paying a notice:
 *   npx tsx infra/nodo-simulator/cli.ts pay --fiscal-code 00345670210 --notice 301000000000000123
 *   npx tsx infra/nodo-simulator/cli.ts verify --fiscal-code ... --notice ...
 *   npx tsx infra/nodo-simulator/cli.ts fdr [--date 2026-11-22]
 * It talks to the running simulator (NODO_SIM_PUBLIC_URL, default http://127.0.0.1:4100).
 */
import { parseArgs } from "node:util";

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    "fiscal-code": { type: "string" },
    notice: { type: "string" },
    psp: { type: "string" },
    date: { type: "string" },
  },
});
const base = process.env.NODO_SIM_PUBLIC_URL ?? "http://127.0.0.1:4100";
const [command] = positionals;

async function post(path: string, body: unknown) {
  const res = await fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as unknown };
}

if (command === "pay" || command === "verify") {
  if (!values["fiscal-code"] || !values.notice) {
    console.error("usage: cli.ts pay|verify --fiscal-code <11 digits> --notice <18 digits> [--psp <idPSP>]");
    process.exit(2);
  }
  const result = await post(`/psp/${command}`, {
    fiscalCode: values["fiscal-code"],
    noticeNumber: values.notice.replace(/\s+/g, ""),
    pspId: values.psp,
  });
  console.log(JSON.stringify(result.body, null, 2));
  process.exit(result.status === 200 ? 0 : 1);
} else if (command === "fdr") {
  const result = await post("/admin/fdr/generate", values.date ? { date: values.date } : {});
  console.log(JSON.stringify(result.body, null, 2));
} else {
  console.error("commands: pay, verify, fdr");
  process.exit(2);
}
