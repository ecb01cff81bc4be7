import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { testDeps } from "../test/support.ts";
import { makeTenant } from "../test/factories.ts";
import { createLogger } from "../platform/observability/logger.ts";
import { importTreasuryDropFolder } from "./import-drop-folder.job.ts";

describe("treasury drop folder", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "treasury-drop-"));
  const deps = testDeps({ TREASURY_DROP_DIR: dir });
  const logger = createLogger({ level: "silent", role: "test" });
  afterAll(() => deps.close());

  it("imports each council's files into that council, and sets aside the unreadable with the reason", async () => {
    const a = await makeTenant(deps.db);
    const b = await makeTenant(deps.db);
    mkdirSync(path.join(dir, a.ipaCode));
    mkdirSync(path.join(dir, b.ipaCode));
    mkdirSync(path.join(dir, "c_unknown"));
    writeFileSync(
      path.join(dir, a.ipaCode, "giornale.csv"),
      "data_valuta;importo_centesimi;causale\n2026-12-01;1500;/PUR/LGPE-RIVERSAMENTO/URI/2026-12-01BDPSIMIT-1\n",
    );
    writeFileSync(path.join(dir, b.ipaCode, "rotto.csv"), "a;b\n1;2\n");
    writeFileSync(path.join(dir, "c_unknown", "x.csv"), "data_valuta;importo_centesimi;causale\n");

    const result = await importTreasuryDropFolder({ db: deps.db, logger, config: deps.config });
    expect(result).toMatchObject({
      [a.ipaCode]: { imported: 1, refused: 0 },
      [b.ipaCode]: { imported: 0, refused: 1 },
    });
    const credits = await deps.db.withTenant(a.id, (tx) => tx.treasuryCredit.findMany());
    expect(credits.map((c) => [c.flowId, c.amountCents, c.status])).toEqual([
      ["2026-12-01BDPSIMIT-1", 1500, "FLOW_NOT_FOUND"],
    ]);
    expect(await deps.db.withTenant(b.id, (tx) => tx.treasuryCredit.count())).toBe(0);
    expect(readdirSync(path.join(dir, a.ipaCode, "done"))).toEqual([expect.stringMatching(/giornale\.csv$/)]);
    const refused = readdirSync(path.join(dir, b.ipaCode, "refused")).sort();
    expect(refused).toEqual([expect.stringMatching(/rotto\.csv$/), expect.stringMatching(/rotto\.csv\.reason\.txt$/)]);
    expect(readFileSync(path.join(dir, b.ipaCode, "refused", refused[1]!), "utf8")).toMatch(/Header mancanti/);
    // A folder naming no council is left alone.
    expect(existsSync(path.join(dir, "c_unknown", "x.csv"))).toBe(true);
    // Nothing left to import: a second run does nothing.
    expect(await importTreasuryDropFolder({ db: deps.db, logger, config: deps.config })).toMatchObject({
      [a.ipaCode]: { imported: 0, refused: 0 },
    });
  });
});
