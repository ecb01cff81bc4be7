import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Deps } from "../../server/platform/deps.ts";
import { problemHandler } from "../../server/platform/http/problem.ts";
import { createPosition } from "../../server/positions/create-position.ts";
import { makeTenant } from "../../server/test/factories.ts";
import { testDeps } from "../../server/test/support.ts";
import { pdfText } from "../../server/test/harness/notices/pdf-inspect.ts";
import type { Tenant } from "../../server/generated/prisma/client.ts";
import { useViewEngine } from "../shared/view-engine.ts";
import { csrfProtection } from "../shared/csrf.ts";
import type { CitizenContext } from "./citizen.context.ts";
import { myPositionsPages, type CitizenIdentity } from "./my-positions.pages.ts";

const actor = { type: "staff" as const, id: "my-positions-page" };
const GIULIA: CitizenIdentity = { fiscalCode: "BNCGLI85M45L736L", name: "Giulia Bianchi" };
const MARIO: CitizenIdentity = { fiscalCode: "RSSMRA80A01H501U", name: "Mario Rossi" };

describe("my positions page (identity from the session; here a test resolver)", () => {
  let deps: Deps;
  let server: Server;
  let base: string;
  let borgo: Tenant;
  let giuliaPosition: { id: string; nav: string };
  let marioPosition: { id: string };

  beforeAll(async () => {
    deps = testDeps();
    borgo = await makeTenant(deps.db, { name: "Comune di Borgo Fiorito" });
    const make = async (who: CitizenIdentity, subject: string) => {
      const created = await createPosition(
        deps.db,
        borgo,
        {
          debtor: { fiscalCode: who.fiscalCode, name: who.name },
          subject,
          single: {
            amountCents: 8_640,
            dueDate: new Date("2027-01-31T10:00:00Z"),
            transfers: [
              {
                iban: "IT60X0542811101000000123456",
                amountCents: 8_640,
                taxonomyCode: "9/0101002IM/",
                remittanceText: subject,
              },
            ],
          },
        },
        actor,
      );
      return { id: created.id, nav: created.options[0]!.nav };
    };
    giuliaPosition = await make(GIULIA, "Mensa scolastica - gennaio");
    marioPosition = await make(MARIO, "Verbale 77/2027");

    const app = express();
    useViewEngine(app);
    app.use(csrfProtection({ secure: false, secret: "test-only-csrf-secret" }));
    // The test's stand-in for the SPID session: who is logged in comes from a header.
    const identityOf = (req: express.Request) =>
      ({ giulia: GIULIA, mario: MARIO })[String(req.headers["x-test-citizen"])] ?? null;
    app.use(myPositionsPages({ deps } as CitizenContext, { identityOf, loginPath: "/spid/login?ritorno=" }));
    app.use(problemHandler);
    server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await deps.close();
  });
  const get = (path: string, who?: string) =>
    fetch(`${base}${path}`, { headers: who ? { "x-test-citizen": who } : {}, redirect: "manual" });

  it("sends an anonymous visitor to the SPID login, with the way back", async () => {
    const res = await get("/le-mie-posizioni");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/spid/login?ritorno=%2Fle-mie-posizioni");
  });

  it("lists the citizen's own debts with notice and pay actions, not anyone else's", async () => {
    const res = await get("/le-mie-posizioni", "giulia");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    const html = await res.text();
    expect(html).toContain("Mensa scolastica - gennaio");
    expect(html).toContain("86,40");
    expect(html).toContain(`href="/le-mie-posizioni/avvisi/${borgo.id}/${giuliaPosition.id}"`);
    expect(html).toContain(`name="nav" value="${giuliaPosition.nav}"`);
    expect(html).toContain(`name="creditorFiscalCode" value="${borgo.fiscalCode}"`);
    expect(html).not.toContain("Verbale 77/2027");
  });

  it("gives the notice of an own position, and 404 for another person's", async () => {
    const mine = await get(`/le-mie-posizioni/avvisi/${borgo.id}/${giuliaPosition.id}`, "giulia");
    expect(mine.status).toBe(200);
    expect(await pdfText(Buffer.from(await mine.arrayBuffer()))).toContain("Mensa scolastica - gennaio");
    const theirs = await get(`/le-mie-posizioni/avvisi/${borgo.id}/${marioPosition.id}`, "giulia");
    expect(theirs.status).toBe(404);
    expect(theirs.headers.get("content-type")).not.toContain("pdf");
    expect((await get(`/le-mie-posizioni/avvisi/not-a-tenant/${giuliaPosition.id}`, "giulia")).status).toBe(404);
  });
});
