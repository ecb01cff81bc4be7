import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDeps } from "../test/support.ts";
import { makeTenant } from "../test/factories.ts";
import { createPosition } from "./create-position.ts";
import { expireOverdueOptionsJob } from "./expire-overdue-options.job.ts";
import type { Tenant } from "../generated/prisma/client.ts";

const transfer = {
  iban: "IT60X0542811101000000123456",
  amountCents: 500,
  taxonomyCode: "9/0101002IM/",
  remittanceText: "x",
};
const actor = { type: "system" as const, id: "test" };

describe("expire-overdue-options job", () => {
  const deps = testDeps();
  let tenant: Tenant;
  beforeAll(async () => {
    tenant = await makeTenant(deps.db);
  });
  afterAll(() => deps.close());

  it("expires unpaid options past expiresAt, and their position when nothing is payable", async () => {
    const now = new Date("2027-06-01T10:00:00Z");
    const make = (expiresAt: string) =>
      createPosition(
        deps.db,
        tenant,
        {
          debtor: { fiscalCode: "RSSMRA80A01H501U", name: "Mario Rossi" },
          subject: "Scadenza",
          single: {
            amountCents: 500,
            dueDate: new Date("2027-05-01"),
            expiresAt: new Date(expiresAt),
            transfers: [transfer],
          },
        },
        actor,
      );
    const expired = await make("2027-05-31T00:00:00Z");
    const open = await make("2027-07-01T00:00:00Z");
    const locked = await make("2027-05-31T00:00:00Z");
    await deps.db.withTenant(tenant.id, (tx) =>
      tx.paymentOption.update({
        where: { id: locked.options[0]!.id },
        data: { paymentToken: "tok", lockedUntil: new Date("2027-06-01T10:20:00Z") },
      }),
    );

    await expireOverdueOptionsJob.handle({ now: now.toISOString() }, deps, undefined as never);

    const status = (id: string) =>
      deps.db.withTenant(tenant.id, (tx) =>
        tx.debtPosition.findUniqueOrThrow({ where: { id }, include: { options: true } }),
      );
    const [e, o, l] = await Promise.all([status(expired.id), status(open.id), status(locked.id)]);
    expect(e.options[0]!.status).toBe("EXPIRED");
    expect(e.status).toBe("EXPIRED");
    expect(o.options[0]!.status).toBe("UNPAID");
    expect(o.status).toBe("VALID");
    // A live activation keeps the option payable until its lock ends.
    expect(l.options[0]!.status).toBe("UNPAID");
  });
});
