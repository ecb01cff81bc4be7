import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRole, type RunningRole } from "../roles/roles.ts";
import { testDeps } from "../test/support.ts";
import { makeTenant } from "../test/factories.ts";
import { TestReceiver } from "../test/harness/webhooks/test-receiver.ts";
import { createPosition } from "../positions/index.ts";
import { createWebhookEndpoint } from "./create-webhook-endpoint.ts";
import { verifySignature } from "./signature.ts";

// The wiring as it runs: the scheduler plans deliver-webhooks, the worker role runs it.
describe("deliver-webhooks on the worker", () => {
  const deps = testDeps();
  const receiver = new TestReceiver();
  const roles: RunningRole[] = [];
  beforeAll(async () => {
    await receiver.start();
  });
  afterAll(async () => {
    for (const r of roles) await r.stop();
    await receiver.stop();
    await deps.close();
  });

  it("delivers a new position's event, signed, within seconds of the commit", async () => {
    const tenant = await makeTenant(deps.db);
    const { secret } = await createWebhookEndpoint(
      deps.db,
      tenant.id,
      { url: receiver.url, events: ["position.created"] },
      { type: "staff", id: "admin" },
      { production: false },
    );
    roles.push(await startRole("scheduler", deps), await startRole("worker", deps));
    const position = await createPosition(
      deps.db,
      tenant,
      {
        debtor: { fiscalCode: "RSSMRA80A01H501U", name: "Mario Rossi" },
        subject: "Mensa",
        single: {
          amountCents: 3_000,
          dueDate: new Date("2027-05-01"),
          transfers: [
            {
              iban: "IT60X0542811101000000123456",
              amountCents: 3_000,
              taxonomyCode: "9/0101002IM/",
              remittanceText: "Mensa",
            },
          ],
        },
      },
      { type: "system", id: "test" },
    );
    const deadline = Date.now() + 15_000;
    const mine = () => receiver.received.filter((r) => JSON.parse(r.body).data.positionId === position.id);
    while (!mine().length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(mine()).toHaveLength(1);
    expect(verifySignature(secret, mine()[0]!, mine()[0]!.body)).toBe(true);
  }, 30_000);
});
