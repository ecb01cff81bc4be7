import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { makeTenant } from "../../server/test/factories.ts";
import {
  principal,
  sessionFor,
  startBackoffice,
  type Harness,
} from "../../server/test/harness/backoffice/backoffice-harness.ts";

/** The council's Collaudo automatico page over HTTP: who may start and approve, progress, evidence. */
describe("back-office: the automatic pre-production test page", () => {
  let h: Harness;
  let admin: { cookie: string; csrf: string };
  let viewer: { cookie: string; csrf: string };
  let t: Awaited<ReturnType<typeof makeTenant>>;

  beforeAll(async () => {
    h = await startBackoffice();
    t = await makeTenant(h.deps.db, { status: "TEST", name: "Comune di Prova Collaudo" });
    admin = await sessionFor(h, principal("admin.collaudo", [], { [t.ipaCode]: ["tenant-admin"] }));
    viewer = await sessionFor(h, principal("vista.collaudo", [], { [t.ipaCode]: ["viewer"] }));
  }, 60_000);
  afterAll(async () => {
    await h.stop();
  });

  const page = () => `${h.base}/backoffice/enti/${t.ipaCode}/collaudo`;
  const get = (who: typeof admin) => fetch(page(), { headers: { cookie: who.cookie, accept: "text/html" } });
  const post = (path: string, who: typeof admin) =>
    fetch(`${page()}${path}`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie: who.cookie, "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
      body: new URLSearchParams({ _csrf: who.csrf }).toString(),
    });
  const runs = () => h.deps.db.withTenant(t.id, (tx) => tx.preproductionRun.findMany({ where: { tenantId: t.id } }));

  test("a viewer reads the page but may not start a run", async () => {
    const html = await (await get(viewer)).text();
    expect(html).toContain("Collaudo automatico");
    expect(html).not.toContain('data-testid="preproduction-start"');
    expect((await post("", viewer)).status).toBe(403);
    expect(await runs()).toHaveLength(0);
  });

  test("the council's admin starts a run: queued, the page refreshes itself and offers no second start", async () => {
    expect(await get(admin).then((r) => r.text())).toContain('data-testid="preproduction-start"');
    const started = await post("", admin);
    expect(started.status).toBe(303);
    expect(started.headers.get("location")).toMatch(/collaudo\?esito=avviato$/);
    expect((await runs()).map((r) => r.state)).toEqual(["QUEUED"]);
    const html = await (await get(admin)).text();
    expect(html).toContain('<meta http-equiv="refresh" content="2">');
    expect(html).toContain("In coda");
    expect(html).not.toContain('data-testid="preproduction-start"');
    expect((await post("", admin)).status).toBe(409);
  });

  test("a passed run shows each step's evidence and is approved once by the admin", async () => {
    await h.deps.db.withTenant(t.id, (tx) =>
      tx.preproductionRun.updateMany({ where: { tenantId: t.id }, data: { state: "FAILED" } }),
    );
    const run = await h.deps.db.withTenant(t.id, (tx) =>
      tx.preproductionRun.create({
        data: {
          tenantId: t.id,
          state: "PASSED",
          requestedBy: "admin.collaudo",
          stationCode: "99999999999_01",
          finishedAt: new Date(),
          steps: [
            {
              key: "payment",
              title: "Pagamento e ricevuta",
              expectation: "Attivazione, pagamento al PSP e ricevuta registrata da PontePA",
              ok: true,
              outcome: "Pagato; ricevuta abc123 registrata (1 versamento).",
              nav: "301000000000000013",
              exchanges: [{ operation: "paSendRTV2", outcome: "OK", ms: 12 }],
              at: new Date().toISOString(),
            },
          ],
        },
      }),
    );
    const html = await (await get(admin)).text();
    expect(html).toContain("Superato");
    expect(html).toContain("<code>paSendRTV2</code> → OK (12 ms)");
    expect(html).toMatch(/avviso <span class="pontepa-nav-group">3010<\/span>/);
    expect(html).toContain('data-testid="preproduction-approve"');
    expect((await post(`/${run.id}/approva`, viewer)).status).toBe(403);
    const approved = await post(`/${run.id}/approva`, admin);
    expect(approved.status).toBe(303);
    const after = await (
      await fetch(new URL(approved.headers.get("location")!, h.base), {
        headers: { cookie: admin.cookie, accept: "text/html" },
      })
    ).text();
    // The outcome is said once (the layout shows it; the page does not repeat it).
    expect(after.split("Verbale di collaudo approvato.").length - 1).toBe(1);
    expect(after).toMatch(/data-testid="preproduction-approved">[^<]+ da admin\.collaudo/);
    expect(after).not.toContain('data-testid="preproduction-approve"');
  });
});
