import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { platformPackSchema } from "../../server/tenancy/index.ts";
import { demoPack } from "../../tenants/demo/pack.ts";
import type { Tenant } from "../../server/generated/prisma/client.ts";
import {
  councilWithAccount,
  decodeHtml as decode,
  OWN_IBAN as OWN,
  principal,
  sessionFor,
  startBackoffice,
  type Harness,
} from "../../server/test/harness/backoffice/backoffice-harness.ts";

/** The Region's catalogue of standard services: a council's admin copies one, then edits and publishes it. */
describe("back-office: copying from the regional catalogue", () => {
  let h: Harness;
  let t: Tenant;
  let admin: { cookie: string; csrf: string };
  let operator: { cookie: string; csrf: string };

  beforeAll(async () => {
    h = await startBackoffice();
    t = await councilWithAccount(h, "Comune di Catalogo");
    // The demo pack's catalogue, as the seed publishes it, plus one template the Region withdrew.
    const { serviceTemplates } = platformPackSchema.parse(demoPack());
    await h.deps.db.withPlatformScope("test: the regional catalogue", async (tx) => {
      for (const st of [
        ...serviceTemplates,
        { ...serviceTemplates[0]!, code: "RITIRATO", name: "Servizio ritirato", published: false },
      ]) {
        const data = {
          ...st,
          formDefinition: (st.formDefinition ?? undefined) as object | undefined,
          amountRule: (st.amountRule ?? undefined) as object | undefined,
        };
        await tx.serviceTemplate.upsert({ where: { code: st.code }, create: data, update: data });
      }
    });
    admin = await sessionFor(h, principal("admin.catalogo", [], { [t.ipaCode]: ["tenant-admin"] }));
    operator = await sessionFor(h, principal("op.catalogo", [], { [t.ipaCode]: ["operator"] }));
  }, 60_000);
  afterAll(async () => {
    await h.stop();
  });

  const page = () => `${h.base}/backoffice/enti/${t.ipaCode}/tipi-pagamento/catalogo-regionale`;
  const post = (url: string, fields: Record<string, string>, who = admin) =>
    fetch(url, {
      method: "POST",
      redirect: "manual",
      headers: { cookie: who.cookie, "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
      body: new URLSearchParams({ _csrf: who.csrf, ...fields }).toString(),
    });
  const typeOf = (code: string) =>
    h.deps.db.withTenant(t.id, (tx) =>
      tx.paymentType.findUnique({ where: { tenantId_code: { tenantId: t.id, code } } }),
    );

  test("the council sees the published templates, each with its taxonomy code and amount, not a withdrawn one", async () => {
    const html = decode(await (await fetch(page(), { headers: { cookie: admin.cookie } })).text());
    for (const name of [
      "Diritti di segreteria per certificati anagrafici",
      "Carta d'identità elettronica",
      "Mensa scolastica",
      "Sanzioni codice della strada",
      "TARI - Tassa sui rifiuti",
    ])
      expect(html).toContain(name);
    expect(html).toContain("Tariffe allo sportello: Carta d'identità ordinaria 22,21 €");
    expect(html).toContain("9/0104103SP/");
    expect(html).not.toContain("Servizio ritirato");
    expect(html).toContain(`<option value="${OWN}">`);
  });

  test("the admin copies a template as a draft with the chosen account and the template's tariffs; audited", async () => {
    const res = await post(page(), { templateCode: "CARTA_IDENTITA", code: "cie", accountIban: OWN });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/backoffice/enti/${t.ipaCode}/tipi-pagamento/CIE`);
    const copy = await typeOf("CIE");
    expect(copy).toMatchObject({
      name: "Carta d'identità elettronica",
      taxonomyCode: "9/0104100TS/",
      status: "DRAFT",
      availableAtCounter: true,
      availableOnPortal: false,
      defaultTransfers: [{ accountIban: OWN, shareBasisPoints: 10_000 }],
    });
    expect((copy!.tariffs as Array<{ amountCents: number }>).map((x) => x.amountCents)).toEqual([2_221, 2_737]);
    const audit = await h.deps.db.withTenant(t.id, (tx) =>
      tx.auditLog.findFirstOrThrow({ where: { tenantId: t.id, action: "payment-type.from-template" } }),
    );
    expect(audit.after).toEqual({ templateCode: "CARTA_IDENTITA", code: "CIE" });
  });

  test("a code already used, an account not the council's and a withdrawn template are refused in Italian", async () => {
    const again = await post(page(), { templateCode: "CARTA_IDENTITA", code: "CIE", accountIban: OWN });
    expect(again.status).toBe(422);
    expect(decode(await again.text())).toContain("l'ente ha già un tipo di pagamento con codice CIE");
    const foreign = await post(page(), {
      templateCode: "MENSA_SCOLASTICA",
      code: "MENSA",
      accountIban: "IT62L0200860110000000778899",
    });
    expect(foreign.status).toBe(422);
    expect(decode(await foreign.text())).toContain("non è un conto dell'ente in vigore");
    const withdrawn = await post(page(), { templateCode: "RITIRATO", code: "RIT", accountIban: OWN });
    expect(withdrawn.status).toBe(422);
    expect(decode(await withdrawn.text())).toContain("servizio non presente nel catalogo regionale");
    expect(await typeOf("MENSA")).toBeNull();
    expect(await typeOf("RIT")).toBeNull();
  });

  test("an operator may browse but not copy", async () => {
    expect((await fetch(page(), { headers: { cookie: operator.cookie } })).status).toBe(200);
    const res = await post(page(), { templateCode: "TARI", code: "TARI", accountIban: OWN }, operator);
    expect(res.status).toBe(403);
    expect(await typeOf("TARI")).toBeNull();
  });

  test("a copied portal service is edited in the usual editor, published, and citizens see it", async () => {
    expect(
      (await post(page(), { templateCode: "CERTIFICATI_ANAGRAFICI", code: "CERT", accountIban: OWN })).status,
    ).toBe(303);
    const editor = await (
      await fetch(`${h.base}/backoffice/enti/${t.ipaCode}/tipi-pagamento/CERT`, { headers: { cookie: admin.cookie } })
    ).text();
    const fields: Record<string, string> = {};
    for (const m of editor.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) fields[m[1]!] = decode(m[2]!);
    for (const m of editor.matchAll(/<input[^>]*name="([^"]+)"[^>]*checked/g)) fields[m[1]!] = "on";
    for (const m of editor.matchAll(/<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)<\/textarea>/g))
      fields[m[1]!] = decode(m[2]!);
    for (const m of editor.matchAll(/<select[^>]*name="([^"]+)"[\s\S]*?<option value="([^"]*)" selected/g))
      fields[m[1]!] ??= m[2]!;
    delete fields._csrf;
    const saved = await post(`${h.base}/backoffice/enti/${t.ipaCode}/tipi-pagamento`, {
      ...fields,
      name: "Certificati anagrafici",
      azione: "pubblica",
    });
    expect(saved.status).toBe(303);
    expect(await typeOf("CERT")).toMatchObject({
      name: "Certificati anagrafici",
      status: "PUBLISHED",
      availableOnPortal: true,
    });
    const portal = decode(await (await fetch(`${h.base}/enti/${t.ipaCode}`)).text());
    expect(portal).toContain(`<a href="/enti/${t.ipaCode}/servizi/CERT">Certificati anagrafici</a>`);
  });
});
