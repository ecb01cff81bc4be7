import { randomInt } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeOrgFiscalCode } from "../../server/test/factories.ts";
import {
  principal,
  sessionFor,
  startBackoffice,
  type Harness,
} from "../../server/test/harness/backoffice/backoffice-harness.ts";
import { importPublicBodies, recordContact, requestAdhesion } from "../../server/tenancy/index.ts";

const actor = { type: "staff" as const, id: "test" };

describe("the helpdesk's adhesion board: paging, search, each request's steps", () => {
  let h: Harness;
  const run = randomInt(1e9).toString(36);
  const page = (who: { cookie: string }, path: string) =>
    fetch(`${h.base}${path}`, { redirect: "manual", headers: { cookie: who.cookie, accept: "text/html" } });

  beforeAll(async () => {
    h = await startBackoffice();
    const rows = Array.from(
      { length: 30 },
      (_, i) => `c_pg${run}_${i};Comune Bacheca ${run} N${i};${fakeOrgFiscalCode()};pec@comune${i}.it`,
    );
    await importPublicBodies(
      h.deps.db,
      Buffer.from(["codice_ipa;denominazione;codice_fiscale;mail_pec", ...rows].join("\n")),
      actor,
    );
    for (let i = 0; i < 30; i++) await requestAdhesion(h.deps.db, { ipaCode: `c_pg${run}_${i}` }, "REGION", actor);
    await recordContact(
      h.deps.db,
      `c_pg${run}_7`,
      { contactName: "Anna Neri", contactFiscalCode: "RSSMRA85T10A562S", contactEmail: "anna@comune.example" },
      actor,
    );
  });
  afterAll(() => h.stop());

  it("shows every request with what it waits for, 25 a page, searchable; a council's admin may not see it", async () => {
    const helpdesk = await sessionFor(h, principal("helpdesk.adesioni", ["regional-helpdesk"], {}));
    const first = await (
      await page(helpdesk, `/backoffice/assistenza/adesioni?q=${encodeURIComponent(`Bacheca ${run}`)}`)
    ).text();
    expect(first).toContain("30 richieste trovate");
    expect(first).toContain("Pagina 1 di 2");
    expect(first.match(/href="\/backoffice\/assistenza\/adesioni\/c_pg/g)).toHaveLength(25);
    expect(first).toContain("l&#x27;ente indichi il referente");
    // The origin by name ("originLabel" is also a view helper: the column once showed "[object Object]").
    expect(first).toContain('<td class="small">Regione</td>');
    expect(first).not.toContain("[object Object]");
    const second = await (
      await page(helpdesk, `/backoffice/assistenza/adesioni?q=${encodeURIComponent(`Bacheca ${run}`)}&page=2`)
    ).text();
    expect(second.match(/href="\/backoffice\/assistenza\/adesioni\/c_pg/g)).toHaveLength(5);
    const one = await (await page(helpdesk, `/backoffice/assistenza/adesioni?q=c_pg${run}_7`)).text();
    expect(one).toContain("1 richieste trovate");
    expect(one).toContain("Lettera di adesione");
    const detail = await (await page(helpdesk, `/backoffice/assistenza/adesioni/c_pg${run}_7`)).text();
    expect(detail).toContain("Anna Neri");
    expect(detail).toContain("in corso: si attende che l&#x27;ente carichi la lettera di adesione firmata");
    expect(detail).toContain("Passo dell&#x27;adesione completato");
    const admin = await sessionFor(h, principal("admin.comune", [], { c_altro: ["tenant-admin"] }));
    expect((await page(admin, "/backoffice/assistenza/adesioni")).status).toBe(403);
  }, 60_000);
});
