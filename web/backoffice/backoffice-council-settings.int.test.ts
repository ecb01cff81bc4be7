import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { makeTenant } from "../../server/test/factories.ts";
import { solidPng } from "../../server/test/harness/branding/solid-png.ts";
import { createPosition } from "../../server/positions/create-position.ts";
import { renderPositionNotice } from "../../server/notices/render-position-notice.ts";
import { pdfText } from "../../server/test/harness/notices/pdf-inspect.ts";
import type { Tenant } from "../../server/generated/prisma/client.ts";
import {
  principal,
  sessionFor,
  startBackoffice,
  type Harness,
} from "../../server/test/harness/backoffice/backoffice-harness.ts";

const run = promisify(execFile);
/** Handlebars escapes ' and = in what it prints. */
const decoded = async (r: Response) => (await r.text()).replace(/&#x27;/g, "'").replace(/&#x3D;/g, "=");
const LOGO = solidPng(37, 23, [0, 102, 204]);

/** Images a PDF holds as image objects (pdfimages -list): width x height of each. */
async function pdfImageSizes(pdf: Buffer): Promise<string[]> {
  const dir = await mkdtemp(path.join(tmpdir(), "logo-pdf-"));
  try {
    await writeFile(path.join(dir, "n.pdf"), pdf);
    const { stdout } = await run("pdfimages", ["-list", path.join(dir, "n.pdf")]);
    return stdout
      .split("\n")
      .slice(2)
      .filter((l) => l.trim())
      .map((l) => {
        const cols = l.trim().split(/\s+/);
        return `${cols[3]}x${cols[4]}`;
      });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A council's settings page over HTTP, and what its citizens and its notices then show. */
describe("council settings: logo, colour, privacy notice and contacts", () => {
  let h: Harness;
  let t: Tenant;
  let admin: { cookie: string; csrf: string };
  let operator: { cookie: string; csrf: string };

  beforeAll(async () => {
    h = await startBackoffice();
    t = await makeTenant(h.deps.db, { name: "Comune di Colle Azzurro" });
    admin = await sessionFor(h, principal("admin.colle", [], { [t.ipaCode]: ["tenant-admin"] }));
    operator = await sessionFor(h, principal("operatore.colle", [], { [t.ipaCode]: ["operator"] }));
  }, 60_000);
  afterAll(async () => {
    await h.stop();
  });

  const page = () => `${h.base}/backoffice/enti/${t.ipaCode}/impostazioni`;
  const post = (fields: Record<string, string>, who = admin) =>
    fetch(page(), {
      method: "POST",
      redirect: "manual",
      headers: { cookie: who.cookie, "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
      body: new URLSearchParams({ _csrf: who.csrf, ...fields }).toString(),
    });
  const upload = (bytes: Buffer, name: string, who = admin, csrf = who.csrf) => {
    const form = new FormData();
    form.append("_csrf", csrf);
    form.append("logo", new Blob([new Uint8Array(bytes)]), name);
    return fetch(`${page()}/logo`, {
      method: "POST",
      headers: { cookie: who.cookie, accept: "text/html" },
      body: form,
    });
  };
  const profile = () => h.deps.db.withTenant(t.id, (tx) => tx.councilProfile.findUnique({ where: { tenantId: t.id } }));

  test("a colour too light for white text is refused in Italian beside its field; nothing is saved", async () => {
    const refused = await post({ primaryColor: "#FFD700", email: "non-una-mail" });
    expect(refused.status).toBe(422);
    const html = await refused.text();
    expect(html).toContain("colore troppo chiaro: il testo bianco avrebbe contrasto 1,40:1, ne serve almeno 4,5:1");
    expect(html).toContain('href="#primaryColor"');
    expect(html).toContain('id="primaryColor-errore"');
    expect(html).toContain("indirizzo e-mail non valido");
    expect(await profile()).toBeNull();
  });

  test("an operator sees the settings but may not change them", async () => {
    const seen = await fetch(page(), { headers: { cookie: operator.cookie, accept: "text/html" } });
    expect(seen.status).toBe(200);
    expect(await seen.text()).not.toContain("Salva le impostazioni");
    expect((await post({ primaryColor: "#003366" }, operator)).status).toBe(403);
    expect((await upload(LOGO, "logo.png", operator)).status).toBe(403);
  });

  test("the admin saves colour, privacy notice and contacts; the change is audited", async () => {
    const saved = await post({
      primaryColor: "#0b5394",
      privacyText: "Titolare del trattamento è il Comune di Colle Azzurro.\n\nI dati sono trattati per il pagamento.",
      privacyUrl: "",
      email: "tributi@colleazzurro.example",
      pec: "protocollo@pec.colleazzurro.example",
      phone: "0123 456789",
      officeHours: "Lunedì-venerdì 9-12",
      address: "Piazza del Municipio 1, Colle Azzurro",
    });
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain("Impostazioni salvate");
    expect(await profile()).toMatchObject({ primaryColor: "#0B5394", pec: "protocollo@pec.colleazzurro.example" });
    const audit = await h.deps.db.withTenant(t.id, (tx) =>
      tx.auditLog.findFirstOrThrow({ where: { tenantId: t.id, action: "council-profile.updated" } }),
    );
    expect(audit.after).toMatchObject({ primaryColor: "#0B5394" });
  });

  test("a logo is checked by its bytes: a GIF, a scripted SVG and a missing token are refused", async () => {
    const gif = await upload(Buffer.from("GIF89a\x01\x00\x01\x00"), "logo.png");
    expect(gif.status).toBe(422);
    expect(await decoded(gif)).toContain("formato non ammesso: carica un'immagine PNG, JPEG o SVG");
    const svg = await upload(
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
      "logo.svg",
    );
    expect(svg.status).toBe(422);
    expect(await decoded(svg)).toContain("contiene l'elemento «script»");
    expect((await upload(LOGO, "logo.png", admin, "x".repeat(admin.csrf.length))).status).toBe(403);
    expect((await profile())?.logo).toBeNull();
  });

  test("a PNG logo is stored and audited by its hash", async () => {
    const ok = await upload(LOGO, "stemma.png");
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('data-testid="logo-attuale"');
    const p = await profile();
    expect(Buffer.from(p!.logo!).equals(LOGO)).toBe(true);
    expect(p!.logoContentType).toBe("image/png");
    const audit = await h.deps.db.withTenant(t.id, (tx) =>
      tx.auditLog.findFirstOrThrow({ where: { tenantId: t.id, action: "council-profile.logo-changed" } }),
    );
    expect(audit.after).toEqual({ logoContentType: "image/png", logoSha256: p!.logoSha256 });
  });

  test("the council's portal pages show its logo, colour, contacts and privacy notice", async () => {
    const html = await decoded(await fetch(`${h.base}/enti/${t.ipaCode}`, { headers: { accept: "text/html" } }));
    const sha = (await profile())!.logoSha256!;
    expect(html).toContain(`<img class="pontepa-council-logo" src="/enti/${t.ipaCode}/logo?v=${sha}"`);
    const theme = /<link rel="stylesheet" href="(\/enti\/[^"]+\/tema\.css\?v=[0-9a-f]+)">/.exec(html)?.[1];
    expect(theme).toBeDefined();
    expect(html).toContain("Contatti di Comune di Colle Azzurro");
    expect(html).toContain("protocollo@pec.colleazzurro.example");
    expect(html).toContain("Piazza del Municipio 1, Colle Azzurro");

    const css = await fetch(`${h.base}${theme}`);
    expect(css.headers.get("content-type")).toMatch(/^text\/css/);
    expect(css.headers.get("cache-control")).toContain("immutable");
    expect(await css.text()).toContain(".it-header-center-wrapper");
    expect(await (await fetch(`${h.base}${theme}`)).text()).toContain("#0B5394");

    const logo = await fetch(`${h.base}/enti/${t.ipaCode}/logo?v=${sha}`);
    expect(logo.status).toBe(200);
    expect(logo.headers.get("content-type")).toBe("image/png");
    expect(logo.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(Buffer.from(await logo.arrayBuffer()).equals(LOGO)).toBe(true);
    const again = await fetch(`${h.base}/enti/${t.ipaCode}/logo`, { headers: { "if-none-match": `"${sha}"` } });
    expect(again.status).toBe(304);

    const privacy = await (
      await fetch(`${h.base}/enti/${t.ipaCode}/privacy`, { headers: { accept: "text/html" } })
    ).text();
    expect(privacy).toContain("Informativa privacy di Comune di Colle Azzurro");
    expect(privacy).toContain("Titolare del trattamento è il Comune di Colle Azzurro.");
  });

  test("a council's notice prints its logo as an image and its contacts in the creditor block", async () => {
    const created = await createPosition(
      h.deps.db,
      t,
      {
        debtor: { fiscalCode: "RSSMRA80A01H501U", name: "Mario Rossi" },
        subject: "Diritti di segreteria",
        single: {
          amountCents: 1_600,
          dueDate: new Date("2027-03-31T10:00:00Z"),
          transfers: [
            {
              iban: "IT60X0542811101000000123456",
              amountCents: 1_600,
              taxonomyCode: "9/0101002IM/",
              remittanceText: "x",
            },
          ],
        },
      },
      { type: "staff", id: "settings-test" },
    );
    const out = await renderPositionNotice(h.deps, t.id, created.id);
    expect(await pdfImageSizes(out.pdf)).toContain("37x23");
    const text = (await pdfText(out.pdf)).replace(/\s+/g, " ");
    expect(text).toContain("Piazza del Municipio 1, Colle Azzurro - tel. 0123 456789");

    // Without the logo the same notice holds no image of that size (the QR codes are vectors).
    const removed = await fetch(`${page()}/logo/rimuovi`, {
      method: "POST",
      headers: { cookie: admin.cookie, "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
      body: new URLSearchParams({ _csrf: admin.csrf }).toString(),
    });
    expect(removed.status).toBe(200);
    const plain = await renderPositionNotice(h.deps, t.id, created.id);
    expect(await pdfImageSizes(plain.pdf)).not.toContain("37x23");
  }, 60_000);
});
