import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Database } from "../platform/db/database.ts";
import { fakeOrgFiscalCode, makeTenant } from "../test/factories.ts";
import { seedImportCatalog, silentLogger } from "../test/import-fixtures.ts";
import type { Tenant } from "../generated/prisma/client.ts";
import { scanDropFolders } from "./drop-folder.ts";
import { processImportJob } from "./process-import.job.ts";

const CSV = [
  "id_esterno;tipo_dovuto;codice_fiscale_debitore;nominativo_debitore;causale;importo;scadenza",
  "DROP-1;MENSA;RSSMRA80A01H501U;Mario Rossi;Mensa gennaio;45,00;2027-01-31",
  "DROP-2;BOH;RSSMRA80A01H501U;Mario Rossi;Mensa febbraio;45,00;2027-02-28",
].join("\n");

describe("drop folder: <root>/<ipa>/in/ to out/", () => {
  const db = new Database({ url: inject("databaseUrl") });
  let root: string;
  let tenant: Tenant;
  const queued: Array<{ tenantId: string; importId: string }> = [];
  const deps = () => ({
    db,
    logger: silentLogger,
    config: {
      IMPORT_DROP_ROOT: root,
      IMPORT_STORAGE_DIR: path.join(root, ".storage"),
      IMPORT_MAX_BYTES: 1_000_000,
      IMPORT_CHUNK_SIZE: 10,
    },
    jobs: { enqueue: async (_d: unknown, p: { tenantId: string; importId: string }) => void queued.push(p) } as never,
  });
  const drop = async (name: string, content: string, ageMs = 60_000) => {
    const file = path.join(root, tenant.ipaCode, "in", name);
    await writeFile(file, content);
    const then = new Date(Date.now() - ageMs);
    await utimes(file, then, then);
  };

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), "drop-"));
    tenant = await makeTenant(db);
    await seedImportCatalog(db, tenant, fakeOrgFiscalCode());
    await mkdir(path.join(root, tenant.ipaCode, "in"), { recursive: true });
    await mkdir(path.join(root, "c_nessuno", "in"), { recursive: true });
  });
  afterAll(async () => {
    await db.close();
    await rm(root, { recursive: true, force: true });
  });

  it("imports a settled file once, writes its outcome to out/, leaves a file still being copied", async () => {
    await drop("mensa.csv", CSV);
    await drop("in-copia.csv", CSV.replace("DROP-1", "DROP-9"), 0);
    await drop("strano.zip", "not a zip");
    expect(await scanDropFolders(deps())).toEqual({ started: 1 });
    expect(queued).toHaveLength(1);
    await processImportJob.handle(queued[0]!, deps() as never, undefined as never);

    const out = path.join(root, tenant.ipaCode, "out");
    const outcome = (await readFile(path.join(out, "mensa-esito.csv"), "utf8")).trim().split(/\r?\n/);
    expect(outcome).toHaveLength(3);
    expect(outcome[1]).toMatch(/^2;DROP-1;I;accettata;3\d{17};/);
    expect(outcome[2]).toMatch(/^3;DROP-2;I;scartata;.*TIPO_DOVUTO_NON_VALIDO/);
    expect(await readFile(path.join(out, "strano.zip.errore.txt"), "utf8")).toMatch(/zip/);
    const inbox = await readdir(path.join(root, tenant.ipaCode, "in"));
    expect(inbox.sort()).toEqual([".importati", ".scartati", "in-copia.csv"]);

    // The same file dropped again is recognised by its content: nothing is imported twice.
    await drop("mensa-di-nuovo.csv", CSV);
    await scanDropFolders(deps());
    const positions = await db.withTenant(tenant.id, (tx) =>
      tx.debtPosition.count({ where: { tenantId: tenant.id, externalId: "DROP-1" } }),
    );
    expect(positions).toBe(1);
    expect(queued).toHaveLength(1);
  });
});
