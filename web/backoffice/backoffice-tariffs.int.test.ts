import { afterAll, beforeAll, describe, expect, test } from "vitest";
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

/** Per-role counter tariffs: the admin sets them on the type, the counter offers and enforces them. */
describe("back-office: counter tariffs", () => {
  let h: Harness;
  let t: Tenant;
  let admin: { cookie: string; csrf: string };
  let operator: { cookie: string; csrf: string };

  beforeAll(async () => {
    h = await startBackoffice();
    t = await councilWithAccount(h, "Comune di Anagrafe");
    await h.deps.db.withTenant(t.id, async (tx) => {
      await tx.paymentType.create({
        data: {
          tenantId: t.id,
          code: "CIE",
          name: "Carta d'identità elettronica",
          taxonomyCode: "9/0103100TS/",
          defaultTransfers: [{ accountIban: OWN, shareBasisPoints: 10_000 }],
        },
      });
      await tx.paymentType.create({
        data: {
          tenantId: t.id,
          code: "VARIE",
          name: "Entrate varie",
          taxonomyCode: "9/0101002IM/",
          defaultTransfers: [{ accountIban: OWN, shareBasisPoints: 10_000 }],
        },
      });
    });
    admin = await sessionFor(h, principal("admin.anagrafe", [], { [t.ipaCode]: ["tenant-admin"] }));
    operator = await sessionFor(h, principal("op.anagrafe", [], { [t.ipaCode]: ["operator"] }));
  }, 60_000);
  afterAll(async () => {
    await h.stop();
  });

  const base = () => `${h.base}/backoffice/enti/${t.ipaCode}`;
  const post = (path: string, fields: Record<string, string>, who: { cookie: string; csrf: string }) =>
    fetch(`${base()}${path}`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie: who.cookie, "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
      body: new URLSearchParams({ _csrf: who.csrf, ...fields }).toString(),
    });
  const editor = async () => {
    const html = await (await fetch(`${base()}/tipi-pagamento/CIE`, { headers: { cookie: admin.cookie } })).text();
    const fields: Record<string, string> = {};
    for (const m of html.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) fields[m[1]!] = decode(m[2]!);
    for (const m of html.matchAll(/<input[^>]*name="([^"]+)"[^>]*checked/g)) fields[m[1]!] = "on";
    for (const m of html.matchAll(/<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)<\/textarea>/g))
      fields[m[1]!] = decode(m[2]!);
    for (const m of html.matchAll(/<select[^>]*name="([^"]+)"[\s\S]*?<option value="([^"]*)" selected/g))
      fields[m[1]!] ??= m[2]!;
    delete fields._csrf;
    return fields;
  };
  const counter = (fields: Record<string, string>, who = operator) =>
    post(
      "/posizioni",
      {
        debtorType: "F",
        fiscalCode: "RSSMRA80A01H501U",
        name: "Mario Rossi",
        subject: "Rilascio carta d'identità",
        unica_scadenza: "2027-06-30",
        ...fields,
      },
      who,
    );
  const positions = () =>
    h.deps.db.withTenant(t.id, (tx) =>
      tx.debtPosition.findMany({
        where: { tenantId: t.id },
        include: { options: true },
        orderBy: { createdAt: "asc" },
      }),
    );

  test("the admin's tariff lines are checked and saved on the type", async () => {
    const bad = await post(
      "/tipi-pagamento",
      { ...(await editor()), tariffe: "ORDINARIA = Carta d'identità ordinaria = ventidue = tutti" },
      admin,
    );
    expect(bad.status).toBe(422);
    expect(decode(await bad.text())).toContain("Tariffa 1: indica un numero valido");
    const ok = await post(
      "/tipi-pagamento",
      {
        ...(await editor()),
        tariffe:
          "ORDINARIA = Carta d'identità ordinaria = 22,21 = tutti\nURGENTE = Carta d'identità urgente = 27,37 = amministratori",
      },
      admin,
    );
    expect([200, 303]).toContain(ok.status);
    const type = await h.deps.db.withTenant(t.id, (tx) =>
      tx.paymentType.findUniqueOrThrow({ where: { tenantId_code: { tenantId: t.id, code: "CIE" } } }),
    );
    expect(type.tariffs).toEqual([
      {
        code: "ORDINARIA",
        label: "Carta d'identità ordinaria",
        amountCents: 2221,
        roles: ["tenant-admin", "operator"],
      },
      { code: "URGENTE", label: "Carta d'identità urgente", amountCents: 2737, roles: ["tenant-admin"] },
    ]);
    // The editor shows them back as typed.
    expect((await editor()).tariffe).toContain("URGENTE = Carta d'identità urgente = 27,37 = amministratori");
  });

  test("the operator's counter form offers a tariff picker with only the tariffs of their role", async () => {
    const html = decode(
      await (await fetch(`${base()}/posizioni/nuova`, { headers: { cookie: operator.cookie } })).text(),
    );
    expect(html).toContain('<label class="form-label" for="tariffa">Tariffa</label>');
    expect(html).toContain('<optgroup label="Carta d\'identità elettronica">');
    expect(html).toContain('<option value="CIE:ORDINARIA">Carta d\'identità ordinaria - 22,21 €</option>');
    expect(html).not.toContain("CIE:URGENTE");
    const asAdmin = decode(
      await (await fetch(`${base()}/posizioni/nuova`, { headers: { cookie: admin.cookie } })).text(),
    );
    expect(asAdmin).toContain('<option value="CIE:URGENTE">Carta d\'identità urgente - 27,37 €</option>');
  });

  test("a picked tariff sets type and amount; a typed amount that is no allowed tariff is refused", async () => {
    const picked = await counter({ tariffa: "CIE:ORDINARIA", paymentTypeCode: "", unica_importo: "999,00" });
    expect(picked.status).toBe(303);
    const [first] = await positions();
    expect(first!.options.map((o) => o.amountCents)).toEqual([2221]);

    const typed = await counter({ paymentTypeCode: "CIE", unica_importo: "50,00" });
    expect(typed.status).toBe(422);
    expect(decode(await typed.text())).toContain(
      "importo non previsto: scegli una tariffa (Carta d'identità ordinaria 22,21 €)",
    );
    // The admin-only tariff's amount, typed or picked by an operator, is refused too.
    expect((await counter({ paymentTypeCode: "CIE", unica_importo: "27,37" })).status).toBe(422);
    expect((await counter({ tariffa: "CIE:URGENTE" })).status).toBe(422);
    expect(await positions()).toHaveLength(1);

    // The admin may use it; a type without tariffs still takes any amount.
    expect((await counter({ tariffa: "CIE:URGENTE" }, admin)).status).toBe(303);
    expect((await counter({ paymentTypeCode: "VARIE", unica_importo: "13,50" })).status).toBe(303);
    expect((await positions()).map((p) => p.options[0]!.amountCents)).toEqual([2221, 2737, 1350]);
  });

  test("a tariffed type is paid in one go: installments are refused", async () => {
    const res = await counter({
      paymentTypeCode: "CIE",
      unica_importo: "",
      unica_scadenza: "",
      rata1_importo: "22,21",
      rata1_scadenza: "2027-06-30",
      rata2_importo: "22,21",
      rata2_scadenza: "2027-07-31",
    });
    expect(res.status).toBe(422);
    expect(decode(await res.text())).toContain("questo tipo si paga con una tariffa, in un'unica soluzione");
  });
});
