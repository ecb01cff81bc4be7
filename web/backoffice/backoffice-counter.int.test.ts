import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createPosition } from "../../server/positions/create-position.ts";
import { registerReceipt } from "../../server/positions/register-receipt.ts";
import type { Tenant } from "../../server/generated/prisma/client.ts";
import { payLinkKey, readPayLink } from "../../server/checkout/index.ts";
import {
  councilWithAccount,
  OWN_IBAN as OWN,
  principal,
  sessionFor,
  startBackoffice,
  type Harness,
} from "../../server/test/harness/backoffice/backoffice-harness.ts";

const POSTAL = "IT78N0760103200001012345678";
const PROVINCE = "IT62L0200860110000000778899";
const PROVINCE_CF = "00987654324";

/** The operators' pages against the real database: counter creation, search, detail, cancel, notice. */
describe("back-office: the counter", () => {
  let h: Harness;
  let t: Tenant;
  let operator: { cookie: string; csrf: string };
  let restricted: { cookie: string; csrf: string };
  let viewer: { cookie: string; csrf: string };

  beforeAll(async () => {
    h = await startBackoffice();
    t = await councilWithAccount(h, "Comune di Sportello");
    await h.deps.db.withTenant(t.id, async (tx) => {
      await tx.creditorAccount.create({
        data: {
          tenantId: t.id,
          iban: POSTAL,
          holder: "Conto postale",
          isPostal: true,
          effectiveFrom: new Date("2025-01-01"),
        },
      });
      await tx.paymentType.create({
        data: {
          tenantId: t.id,
          code: "TARI",
          name: "Tassa rifiuti",
          taxonomyCode: "9/0101101IM/",
          defaultTransfers: [
            { accountIban: POSTAL, shareBasisPoints: 9_500 },
            {
              accountIban: PROVINCE,
              beneficiaryFiscalCode: PROVINCE_CF,
              taxonomyCode: "9/0201102IM/",
              shareBasisPoints: 500,
            },
          ],
        },
      });
      await tx.paymentType.create({
        data: {
          tenantId: t.id,
          code: "MENSA",
          name: "Mensa scolastica",
          taxonomyCode: "9/0107101TS/",
          defaultTransfers: [{ accountIban: OWN, shareBasisPoints: 10_000 }],
        },
      });
    });
    operator = await sessionFor(h, principal("op.sportello", [], { [t.ipaCode]: ["operator"] }));
    viewer = await sessionFor(h, principal("viewer.sportello", [], { [t.ipaCode]: ["viewer"] }));
    const limited = principal("op.mensa", [], { [t.ipaCode]: ["operator"] });
    const user = await h.deps.db.client.staffUser.create({
      data: { subject: limited.subject, displayName: "Operatore mensa" },
    });
    await h.deps.db.withTenant(t.id, (tx) =>
      tx.membership.create({
        data: { tenantId: t.id, userId: user.id, role: "OPERATOR", paymentTypeCodes: ["MENSA"] },
      }),
    );
    restricted = await sessionFor(h, limited);
  }, 60_000);
  afterAll(async () => {
    await h.stop();
  });

  const base = () => `${h.base}/backoffice/enti/${t.ipaCode}`;
  const post = (who: { cookie: string; csrf: string }, path: string, fields: Record<string, string>) =>
    fetch(`${base()}${path}`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie: who.cookie, "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
      body: new URLSearchParams({ _csrf: who.csrf, ...fields }).toString(),
    });
  const get = (who: { cookie: string }, path: string) =>
    fetch(`${base()}${path}`, { redirect: "manual", headers: { cookie: who.cookie, accept: "text/html" } });
  const tari = {
    paymentTypeCode: "TARI",
    debtorType: "F",
    fiscalCode: "rssmra80a01h501u",
    name: "Mario Rossi",
    subject: "TARI 2027",
    rata1_importo: "100,00",
    rata1_scadenza: "2027-03-31",
    rata2_importo: "50,50",
    rata2_scadenza: "2027-07-31",
  };

  test("an operator creates a position in two installments, split between the council's postal account and the province", async () => {
    const res = await post(operator, "/posizioni", tari);
    expect(res.status).toBe(303);
    const id = /\/posizioni\/([0-9a-f-]{36})\?creata=1$/.exec(res.headers.get("location")!)![1]!;
    const position = await h.deps.db.withTenant(t.id, (tx) =>
      tx.debtPosition.findFirstOrThrow({
        where: { id },
        include: {
          options: { include: { transfers: { orderBy: { index: "asc" } } }, orderBy: { installmentNumber: "asc" } },
        },
      }),
    );
    expect(position).toMatchObject({
      origin: "COUNTER",
      debtorFiscalCode: "RSSMRA80A01H501U",
      status: "VALID",
      subject: "TARI 2027",
    });
    expect(
      position.options.map((o) => [
        o.kind,
        o.installmentNumber,
        o.installmentCount,
        o.amountCents,
        o.dueDate.toISOString(),
      ]),
    ).toEqual([
      ["INSTALLMENT", 1, 2, 10_000, "2027-03-31T21:59:59.999Z"],
      ["INSTALLMENT", 2, 2, 5_050, "2027-07-31T21:59:59.999Z"],
    ]);
    expect(
      position.options[0]!.transfers.map((x) => [
        x.iban,
        x.isPostalIban,
        x.beneficiaryFiscalCode,
        x.amountCents,
        x.taxonomyCode,
      ]),
    ).toEqual([
      [POSTAL, true, t.fiscalCode, 9_500, "9/0101101IM/"],
      [PROVINCE, false, PROVINCE_CF, 500, "9/0201102IM/"],
    ]);
    expect(position.options[1]!.transfers.reduce((s, x) => s + x.amountCents, 0)).toBe(5_050);
    const audit = await h.deps.db.withTenant(t.id, (tx) => tx.auditLog.findFirstOrThrow({ where: { entityId: id } }));
    expect(audit).toMatchObject({ action: "position.create", actorType: "staff", actorId: "op.sportello" });

    const detail = await (await get(operator, `/posizioni/${id}?creata=1`)).text();
    expect(detail).toContain("Posizione creata");
    expect(detail).toContain("Rata 1 di 2 · 100,00 €");
    expect(detail).toContain("Rata 2 di 2 · 50,50 €");
    expect(detail).toContain("31/07/2027");
    // Each open notice has its signed "pay this notice" link, bound to this council and NAV.
    const links = [...detail.matchAll(/data-testid="pay-link"/g)].length;
    expect(links).toBe(position.options.length);
    for (const option of position.options) {
      const url = new RegExp(`id="link-${option.nav}" value="([^"]+)"`).exec(detail)?.[1];
      const token = new URL(url!).pathname.replace("/paga/", "");
      expect(readPayLink(payLinkKey(h.deps.config), token)).toMatchObject({
        ok: true,
        link: { ipa: t.ipaCode, nav: option.nav },
      });
    }
    const notice = await get(operator, `/posizioni/${id}/avviso.pdf`);
    expect(notice.status).toBe(200);
    expect(notice.headers.get("content-type")).toBe("application/pdf");
    expect(notice.headers.get("content-disposition")).toMatch(/attachment; filename=".*\.pdf"/);
    expect((await notice.arrayBuffer()).byteLength).toBeGreaterThan(10_000);
  }, 60_000);

  test("the form explains its errors in Italian and keeps what was typed", async () => {
    const res = await post(operator, "/posizioni", {
      ...tari,
      fiscalCode: "RSSMRA80A01H501X",
      rata2_importo: "",
      rata2_scadenza: "",
    });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain("Codice fiscale o partita IVA: codice fiscale non valido");
    expect(html).toContain("Importi e scadenze: le rate sono almeno due");
    expect(html).toContain('href="#fiscalCode"');
    expect(html).toContain('value="TARI 2027"');
    const bad = await post(operator, "/posizioni", { ...tari, rata1_importo: "cento", rata2_scadenza: "2027-02-30" });
    expect(bad.status).toBe(422);
    const text = await bad.text();
    expect(text).toContain("importo non valido");
    expect(text).toContain("indica la scadenza");
  });

  test("an operator limited to the canteen sees only that type and cannot create another", async () => {
    const form = await (await get(restricted, "/posizioni/nuova")).text();
    expect(form).toContain("Mensa scolastica");
    expect(form).not.toContain("Tassa rifiuti");
    const res = await post(restricted, "/posizioni", tari);
    expect(res.status).toBe(403);
    const ok = await post(restricted, "/posizioni", {
      ...tari,
      paymentTypeCode: "MENSA",
      rata1_importo: "",
      rata1_scadenza: "",
      rata2_importo: "",
      rata2_scadenza: "",
      unica_importo: "42",
      unica_scadenza: "2027-01-15",
    });
    expect(ok.status).toBe(303);
  });

  test("a viewer reads but cannot create or cancel", async () => {
    expect((await get(viewer, "/posizioni")).status).toBe(200);
    expect((await get(viewer, "/posizioni/nuova")).status).toBe(403);
    expect((await post(viewer, "/posizioni", tari)).status).toBe(403);
  });

  test("search by NAV, fiscal code, name and status, twenty per page", async () => {
    const actor = { type: "staff" as const, id: "seed" };
    for (let i = 0; i < 22; i++) {
      await createPosition(
        h.deps.db,
        t,
        {
          debtor: { fiscalCode: "BNCGLI85M45L736L", name: `Giulia Bianchi ${i}` },
          subject: `Retta ${i}`,
          single: {
            amountCents: 1_000 + i,
            dueDate: new Date("2027-05-01T10:00:00Z"),
            transfers: [
              { iban: OWN, amountCents: 1_000 + i, taxonomyCode: "9/0107101TS/", remittanceText: `Retta ${i}` },
            ],
          },
        },
        actor,
      );
    }
    const page1 = await (await get(operator, "/posizioni?fiscalCode=bncgli85m45l736l")).text();
    expect(page1).toContain("22 posizioni trovate · pagina 1 di 2");
    const page2 = await (await get(operator, "/posizioni?fiscalCode=BNCGLI85M45L736L&page=2")).text();
    expect((page2.match(/Giulia Bianchi \d+/g) ?? []).length).toBe(2);
    const byName = await (await get(operator, "/posizioni?name=bianchi%2017")).text();
    expect(byName).toContain("1 posizione trovata");
    const nav = await h.deps.db.withTenant(t.id, (tx) =>
      tx.paymentOption.findFirstOrThrow({ where: { description: null, position: { subject: "Retta 5" } } }),
    );
    const byNav = await (await get(operator, `/posizioni?nav=${nav.nav}`)).text();
    expect(byNav).toContain("1 posizione trovata");
    expect(byNav).toContain("Retta 5");
    const bad = await (await get(operator, "/posizioni?nav=123")).text();
    expect(bad).toContain("il codice avviso ha 18 cifre");
  }, 60_000);

  test("cancelling needs a reason, cancels every unpaid option, is audited and happens once", async () => {
    const created = await post(operator, "/posizioni", { ...tari, subject: "Da annullare" });
    const id = /\/posizioni\/([0-9a-f-]{36})/.exec(created.headers.get("location")!)![1]!;
    // No reason, no confirmation: the position's own page again (not an error page), saying both.
    const refused = await post(operator, `/posizioni/${id}/annulla`, { motivo: "" });
    expect(refused.status).toBe(422);
    const refusedHtml = await refused.text();
    expect(refusedHtml).toContain("Motivo dell&#x27;annullamento: indica il motivo");
    expect(refusedHtml).toContain("Confermo l&#x27;annullamento: spunta la casella");
    expect(refusedHtml).toContain('href="#conferma"');
    expect(refusedHtml).toContain("Da annullare");
    const unconfirmed = await post(operator, `/posizioni/${id}/annulla`, { motivo: "Errore di inserimento" });
    expect(unconfirmed.status).toBe(422);
    expect(await unconfirmed.text()).toContain('value="Errore di inserimento"');
    const res = await post(operator, `/posizioni/${id}/annulla`, { motivo: "Errore di inserimento", conferma: "on" });
    expect(res.status).toBe(303);
    const position = await h.deps.db.withTenant(t.id, (tx) =>
      tx.debtPosition.findFirstOrThrow({ where: { id }, include: { options: true } }),
    );
    expect(position.status).toBe("CANCELLED");
    expect(position.options.map((o) => o.status)).toEqual(["CANCELLED", "CANCELLED"]);
    const audit = await h.deps.db.withTenant(t.id, (tx) =>
      tx.auditLog.findFirstOrThrow({ where: { entityId: id, action: "position.cancel" } }),
    );
    expect(audit.after).toEqual({ status: "CANCELLED", reason: "Errore di inserimento" });
    const again = await post(operator, `/posizioni/${id}/annulla`, { motivo: "di nuovo", conferma: "on" });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("non si può annullare");
    // A cancelled position offers no notice, and the download refuses it.
    const detail = await (await get(operator, `/posizioni/${id}`)).text();
    expect(detail).not.toContain('data-testid="notice-link"');
    expect(detail).toContain("Avviso di pagamento non disponibile: la posizione è annullata.");
    expect(detail).not.toContain('data-testid="pay-link"');
    const notice = await get(operator, `/posizioni/${id}/avviso.pdf`);
    expect(notice.status).toBe(409);
    expect(notice.headers.get("content-type")).not.toBe("application/pdf");
  });

  test("incoming payments are listed with the position they paid and the period's total", async () => {
    const actor = { type: "staff" as const, id: "seed" };
    const paid = await createPosition(
      h.deps.db,
      t,
      {
        debtor: { fiscalCode: "RSSMRA80A01H501U", name: "Mario Rossi" },
        subject: "Mensa novembre",
        single: {
          amountCents: 4_321,
          dueDate: new Date("2027-05-01T10:00:00Z"),
          transfers: [
            { iban: OWN, amountCents: 4_321, taxonomyCode: "9/0107101TS/", remittanceText: "Mensa novembre" },
          ],
        },
      },
      actor,
    );
    const option = paid.options[0]!;
    await registerReceipt(
      h.deps.db,
      t,
      {
        receiptId: `rcpt-pagamenti-${t.ipaCode}`,
        nav: option.nav,
        noticeFiscalCode: t.fiscalCode,
        outcome: "OK",
        creditorReferenceId: option.iuv,
        amountCents: 4_321,
        pspId: "PSPDEMO",
        pspName: "Banca Demo",
        standIn: false,
        transfers: [
          {
            index: 1,
            amountCents: 4_321,
            fiscalCodePA: t.fiscalCode,
            iban: OWN,
            remittanceText: "Mensa novembre",
            category: "9/0107101TS/",
          },
        ],
      },
      async () => undefined,
    );
    const html = await (await get(operator, "/pagamenti")).text();
    expect(html).toContain("1 pagamento riuscito per 43,21 €");
    expect(html).toContain("Mensa novembre");
    expect(html).toContain("Banca Demo");
    expect(html).toContain(`/ricevute/rcpt-pagamenti-${t.ipaCode}/ricevuta.pdf`);
    const open = await h.deps.db.withTenant(t.id, (tx) =>
      tx.debtPosition.count({ where: { tenantId: t.id, status: "VALID" } }),
    );
    const summary = await (await get(operator, "")).text();
    expect(summary).toContain(`<span>Da pagare</span><strong>${open}</strong>`);
    const none = await (await get(operator, "/pagamenti?from=2020-01-01&to=2020-01-31")).text();
    expect(none).toContain("Nessun pagamento nel periodo.");
    const pdf = await get(operator, `/ricevute/rcpt-pagamenti-${t.ipaCode}/ricevuta.pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
  }, 60_000);
});
