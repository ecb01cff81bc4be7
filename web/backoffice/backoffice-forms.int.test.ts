import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { makeTenant } from "../../server/test/factories.ts";
import { createPosition } from "../../server/positions/create-position.ts";
import type { Tenant } from "../../server/generated/prisma/client.ts";
import {
  principal,
  sessionFor,
  startBackoffice,
  type Harness,
} from "../../server/test/harness/backoffice/backoffice-harness.ts";

const OWN = "IT60X0542811101000000123456";
const INVITE = { nome: "Nome", cognome: "Cognome", email: "E-mail", ruolo: "Ruolo" };
const LONG = "x".repeat(600);

// zod's and JavaScript's own wording, which a clerk must never read.
const ENGLISH =
  /\b(invalid|expected|received|too (big|small)|must|required|string|number|characters?|input|option|nan|undefined|null|array|object|greater|less|than)\b/i;

interface Case {
  name: string;
  who: "admin" | "platform" | "helpdesk";
  method?: "GET" | "POST";
  path: string;
  fields?: Record<string, string>;
  /** Controls that must be flagged in the same answer (every error at once). */
  ids: string[];
  /**
   * The form's labels when the form itself is not on the answer: the invitation form shows only
   * while the realm answers, which this harness has not (its inline messages are checked in
   * backoffice-staff.int.test.ts against the dev realm).
   */
  hiddenForm?: Record<string, string>;
}

const decode = (s: string) =>
  s
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&#x3D;/g, "=")
    .replace(/&#x60;/g, "`");
const text = (html: string) =>
  decode(html.replace(/<[^>]+>/g, ""))
    .replace(/\s+/g, " ")
    .trim();

/** The error summary's entries and the messages beside the fields, with the label of each field. */
function errorsOf(html: string) {
  const summary = /<div [^>]*data-testid="error-summary"[^>]*>([\s\S]*?)<\/div>/.exec(html)?.[1];
  const linked = [...(summary ?? "").matchAll(/<li>(?:<a href="#([^"]+)">)?([\s\S]*?)(?:<\/a>)?<\/li>/g)].map((m) => ({
    id: m[1],
    text: text(m[2]!),
  }));
  const inline = [...html.matchAll(/<div class="invalid-feedback d-block" id="([^"]+)-errore">([\s\S]*?)<\/div>/g)].map(
    (m) => ({ id: m[1]!, text: text(m[2]!) }),
  );
  // A control's own label, or the legend of the fieldset it sits in (for a rule across the fieldset's controls).
  const labelOf = (id: string) => {
    const own = new RegExp(`<label[^>]*for="${id}"[^>]*>([\\s\\S]*?)</label>`).exec(html);
    const at = html.search(new RegExp(`id="${id}"`));
    const legends = [...html.slice(0, Math.max(0, at)).matchAll(/<legend[^>]*>([\s\S]*?)<\/legend>/g)].map((m) =>
      text(m[1]!),
    );
    return [own ? text(own[1]!) : undefined, legends.at(-1), legends.at(-2)].filter((l): l is string => Boolean(l));
  };
  return { summary, linked, inline, labelOf };
}

/**
 * Every back-office form, submitted empty and with wrong values of each kind, answers with
 * Italian messages only, each naming its field by the label the form shows, all at once, in a
 * summary whose links lead to the fields (issue 12, item 7).
 */
describe("back-office forms: Italian messages that name the field, all at once", () => {
  let h: Harness;
  let t: Tenant;
  let positionId: string;
  let stationCode: string;
  const who: Record<Case["who"], { cookie: string; csrf: string }> = {} as never;

  beforeAll(async () => {
    h = await startBackoffice();
    t = await makeTenant(h.deps.db, { name: "Comune dei Moduli" });
    await h.deps.db.withTenant(t.id, async (tx) => {
      await tx.creditorAccount.create({
        data: { tenantId: t.id, iban: OWN, holder: "Tesoreria", effectiveFrom: new Date("2025-01-01") },
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
    const created = await createPosition(
      h.deps.db,
      t,
      {
        debtor: { fiscalCode: "RSSMRA80A01H501U", name: "Mario Rossi" },
        subject: "Da annullare",
        single: {
          amountCents: 1_000,
          dueDate: new Date("2027-03-31T10:00:00Z"),
          transfers: [{ iban: OWN, amountCents: 1_000, taxonomyCode: "9/0107101TS/", remittanceText: "Da annullare" }],
        },
      },
      { type: "system", id: "test" },
    );
    positionId = created.id;
    stationCode = (await h.deps.db.client.station.findUniqueOrThrow({ where: { id: t.stationId } })).code;
    who.admin = await sessionFor(h, principal("admin.moduli", [], { [t.ipaCode]: ["tenant-admin"] }));
    who.platform = await sessionFor(h, principal("admin.regione.moduli", ["platform-admin"], {}));
    who.helpdesk = await sessionFor(h, principal("helpdesk.moduli", ["regional-helpdesk"], {}));
  }, 60_000);
  afterAll(async () => {
    await h.stop();
  });

  const send = (c: Case) => {
    const session = who[c.who];
    const url = `${h.base}/backoffice${c.path}`;
    if (c.method === "GET")
      return fetch(`${url}?${new URLSearchParams(c.fields ?? {})}`, {
        headers: { cookie: session.cookie, accept: "text/html" },
      });
    return fetch(url, {
      method: "POST",
      redirect: "manual",
      headers: { cookie: session.cookie, "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
      body: new URLSearchParams({ _csrf: session.csrf, ...c.fields }),
    });
  };

  const cases = (): Case[] => {
    const ente = `/enti/${t.ipaCode}`;
    const editor = { nuovo: "1", azione: "salva" };
    return [
      {
        name: "creditor account, empty",
        who: "admin",
        path: `${ente}/conti`,
        ids: ["iban", "holder", "effectiveFrom"],
      },
      {
        name: "creditor account, wrong values",
        who: "admin",
        path: `${ente}/conti`,
        fields: { iban: "IT00 X123", holder: LONG, effectiveFrom: "2020-02-30", description: LONG },
        ids: ["iban", "holder", "effectiveFrom", "description"],
      },
      {
        name: "payment type, empty",
        who: "admin",
        path: `${ente}/tipi-pagamento`,
        fields: editor,
        ids: ["code", "name", "conto0_iban"],
      },
      {
        name: "payment type, wrong values",
        who: "admin",
        path: `${ente}/tipi-pagamento`,
        fields: {
          ...editor,
          code: "a b",
          name: LONG,
          description: LONG,
          conto0_iban: "IT00",
          conto0_quota: "abc",
          regola: "range",
          regola_minimo: "abc",
          regola_massimo: "-",
          campo0_nome: "1x",
          campo0_etichetta: "",
          campo0_ordine: "1",
        },
        ids: ["code", "name", "description", "conto0_iban", "conto0_quota", "regola_minimo", "regola_massimo"],
      },
      {
        name: "counter position, empty",
        who: "admin",
        path: `${ente}/posizioni`,
        ids: ["paymentTypeCode", "subject", "fiscalCode", "name", "unica_importo"],
      },
      {
        name: "counter position, wrong values",
        who: "admin",
        path: `${ente}/posizioni`,
        fields: {
          paymentTypeCode: "MENSA",
          subject: LONG,
          fiscalCode: "XYZ",
          name: "M",
          email: "non-una-mail",
          unica_importo: "dieci",
          unica_scadenza: "2027-02-30",
          rata1_importo: "1",
          rata1_scadenza: "2027-01-10",
        },
        ids: ["subject", "fiscalCode", "email", "unica_importo", "unica_scadenza", "rata1_importo"],
      },
      {
        name: "cancellation, empty",
        who: "admin",
        path: `${ente}/posizioni/${positionId}/annulla`,
        ids: ["motivo", "conferma"],
      },
      {
        name: "cancellation, wrong values",
        who: "admin",
        path: `${ente}/posizioni/${positionId}/annulla`,
        fields: { motivo: LONG },
        ids: ["motivo", "conferma"],
      },
      {
        name: "staff invitation, empty",
        who: "admin",
        path: `${ente}/personale/invita`,
        ids: ["nome", "cognome", "email", "ruolo"],
        hiddenForm: INVITE,
      },
      {
        name: "staff invitation, wrong values",
        who: "admin",
        path: `${ente}/personale/invita`,
        fields: { nome: LONG, cognome: LONG, email: "@", ruolo: "boss" },
        ids: ["nome", "cognome", "email", "ruolo"],
        hiddenForm: INVITE,
      },
      {
        name: "new council, empty",
        who: "platform",
        path: "/piattaforma/enti",
        ids: ["name", "fiscalCode", "ipaCode", "stationCode", "segregationCode"],
      },
      {
        name: "new council, wrong values",
        who: "platform",
        path: "/piattaforma/enti",
        fields: {
          name: LONG,
          fiscalCode: "123",
          ipaCode: "A B",
          stationCode: "X",
          segregationCode: "x",
          cbill: "abc",
          postalAccount: "12",
          contactEmail: "no",
        },
        ids: ["name", "fiscalCode", "ipaCode", "segregationCode", "cbill", "postalAccount", "contactEmail"],
      },
      {
        name: "council settings, empty",
        who: "platform",
        path: `/piattaforma/enti/${t.ipaCode}`,
        ids: ["name", "status", "segregationCode"],
      },
      {
        name: "council settings, wrong values",
        who: "platform",
        path: `/piattaforma/enti/${t.ipaCode}`,
        fields: {
          name: LONG,
          status: "CHIUSO",
          segregationCode: "123",
          cbill: "a",
          contactEmail: "no",
          logoUrl: "non un indirizzo",
        },
        ids: ["name", "status", "segregationCode", "cbill", "contactEmail", "logoUrl"],
      },
      {
        name: "station protections, wrong values",
        who: "platform",
        path: `/piattaforma/stazioni/${stationCode}`,
        fields: { description: LONG, clientCertFingerprint: "zz", allowedSources: "999.1.1.1" },
        ids: ["description", "clientCertFingerprint", "allowedSources"],
      },
      {
        name: "positions search, wrong values",
        who: "admin",
        method: "GET",
        path: `${ente}/posizioni`,
        fields: { nav: "12", name: "a", status: "NESSUNO", from: "ieri" },
        ids: ["nav", "name", "status", "from"],
      },
      {
        name: "payments search, wrong values",
        who: "admin",
        method: "GET",
        path: `${ente}/pagamenti`,
        fields: { from: "ieri", to: "domani", outcome: "FORSE" },
        ids: ["from", "to", "outcome"],
      },
      { name: "helpdesk search, empty", who: "helpdesk", path: "/assistenza", ids: ["valore"] },
      {
        name: "helpdesk search, wrong values",
        who: "helpdesk",
        path: "/assistenza",
        fields: { per: "nav", valore: "12" },
        ids: ["valore"],
      },
    ];
  };

  test("every form, empty and with wrong values", async () => {
    const problems: string[] = [];
    for (const c of cases()) {
      const res = await send(c);
      const html = await res.text();
      const { summary, linked, inline, labelOf } = errorsOf(html);
      if (!summary) {
        problems.push(`${c.name}: no error summary (status ${res.status})`);
        continue;
      }
      if (!/autofocus/.test(/<div [^>]*data-testid="error-summary"[^>]*>/.exec(html)![0]))
        problems.push(`${c.name}: the summary does not take the focus`);
      const missing = c.ids.filter((id) => !linked.some((l) => l.id === id));
      if (missing.length > 0)
        problems.push(
          `${c.name}: not reported at once: ${missing.join(", ")} (got ${linked.map((l) => l.id ?? l.text).join(" | ")})`,
        );
      for (const message of [...linked, ...inline]) {
        if (ENGLISH.test(message.text)) problems.push(`${c.name}: English text: "${message.text}"`);
        if (!message.id) continue;
        if (!c.hiddenForm && !new RegExp(`id="${message.id}"`).test(html))
          problems.push(`${c.name}: the link #${message.id} leads nowhere`);
        const labels = c.hiddenForm
          ? [c.hiddenForm[message.id]].filter((l): l is string => Boolean(l))
          : labelOf(message.id);
        const named = message.text.split(":")[0]!.trim().toLowerCase();
        const names = (label: string) => {
          const shown = label.toLowerCase();
          return shown.includes(named) || named.includes(shown.replace(/\s*\(.*\)$/, ""));
        };
        if (!labels.some(names))
          problems.push(
            `${c.name}: "${message.text}" does not name the field by its label (${labels.join(" / ") || "no label"})`,
          );
      }
      if (!c.hiddenForm)
        for (const id of c.ids)
          if (!inline.some((m) => m.id === id)) problems.push(`${c.name}: no message beside ${id}`);
    }
    expect(problems).toEqual([]);
  }, 120_000);

  test("the staff page names roles in Italian, not the realm's group paths", async () => {
    const html = await (
      await fetch(`${h.base}/backoffice/enti/${t.ipaCode}/personale`, {
        headers: { cookie: who.admin.cookie, accept: "text/html" },
      })
    ).text();
    expect(html).toContain("amministratore dell'ente");
    expect(html).not.toMatch(/\/tenants\/|\badmins\b|\boperators\b|\bviewers\b/);
  });
});
