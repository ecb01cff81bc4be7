import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REAL_WORLD_DIR } from "../../../server/test/harness/reconciliation/real-world.ts";
import { AcaArchive, acaPositionBody, standInData } from "./aca-archive.ts";

const dir = path.join(REAL_WORLD_DIR, "aca-gpd/pagopa-debt-position");

describe.skipIf(!existsSync(dir))(
  "the simulator's ACA archive reads pagoPA's own ACA bodies (skipped without the fixtures)",
  () => {
    it("accepts the single and the massive webinar bodies and serves their notices for Stand-In by NAV", () => {
      const single = JSON.parse(readFileSync(path.join(dir, "ACA_PaymentPosition.json"), "utf8"));
      const massive = JSON.parse(readFileSync(path.join(dir, "ACA_PaymentPositions_massive.json"), "utf8")) as {
        paymentPositions: unknown[];
      };
      const archive = new AcaArchive(mkdtempSync(path.join(tmpdir(), "aca-archive-")));
      for (const body of [single, ...massive.paymentPositions]) {
        const parsed = acaPositionBody.safeParse(body);
        expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
        archive.put("77777777777", parsed.data!, "VALID");
      }
      const option = single.paymentOption[0] as { iuv: string; amount: number };
      const found = archive.findNotice("77777777777", `3${option.iuv}`);
      expect(found).not.toBeNull();
      const data = standInData(found!.record, found!.option);
      expect(data).toMatchObject({ creditorReferenceId: option.iuv, paymentAmount: (option.amount / 100).toFixed(2) });
    });

    it("refuses a body without what the model requires", () => {
      expect(acaPositionBody.safeParse({ iupd: "X", type: "F" }).success).toBe(false);
    });
  },
);
