import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Deps } from "../platform/deps.ts";
import { makeTenant } from "../test/factories.ts";
import { testDeps } from "../test/support.ts";
import { findTenantByIpaCode } from "./tenant.repository.ts";

describe("findTenantByIpaCode on pg", () => {
  let deps: Deps;
  beforeAll(() => {
    deps = testDeps();
  });
  afterAll(async () => {
    await deps?.close();
  });

  it("gives the council exactly as Prisma reads it (every field, same types), and null for an unknown code", async () => {
    const made = await makeTenant(deps.db, { name: "Comune letto su pg" });
    await deps.db.client.tenant.update({
      where: { id: made.id },
      data: { branding: { primaryColor: "#0066cc" }, dailyExportLayouts: ["native", "mypay"], acaEnabled: true },
    });
    const viaPrisma = await deps.db.client.tenant.findUnique({ where: { ipaCode: made.ipaCode } });
    expect(await findTenantByIpaCode(deps.db, made.ipaCode)).toEqual(viaPrisma);
    expect(await findTenantByIpaCode(deps.db, `${made.ipaCode}x`)).toBeNull();
  });
});
