import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRole, type RunningRole } from "../../server/roles/roles.ts";
import { testDeps } from "../../server/test/support.ts";
import { makeTenant } from "../../server/test/factories.ts";
import { createPosition } from "../../server/positions/index.ts";
import type { Tenant } from "../../server/generated/prisma/client.ts";
import { simulatorConfigSchema } from "./config.ts";
import { createSimulator } from "./app.ts";
import { bodyElement } from "./xsd-check.ts";
import { pdfText } from "../../server/test/harness/notices/pdf-inspect.ts";
import { rememberCheckoutRecipient, sendReceiptEmail } from "../../server/notifications/index.ts";
import type { OutgoingMail } from "../../server/platform/mail/mailer.ts";
import { getReceiptByAccessToken, rememberCheckoutCart, renderReceiptPdf } from "../../server/receipts/index.ts";
import { receiptRegisteredJob } from "../../server/notifications/receipt-registered.job.ts";

const run = promisify(execFile);
const specs = path.resolve(
  process.env.PAGOPA_SPECS_DIR ?? path.join(import.meta.dirname, "../../../shared/specs/pagopa"),
);
const hasSpecs = existsSync(path.join(specs, "wsdl/xsd/paForNode.xsd"));
const listen = (server: http.Server) =>
  new Promise<string>((r) =>
    server.listen(0, "127.0.0.1", () => r(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );

describe("the Nodo simulator against our real station", () => {
  const deps = testDeps();
  const sent: string[] = [];
  let role: RunningRole;
  let tenant: Tenant;
  let sim: ReturnType<typeof createSimulator>;
  let simUrl: string;
  const servers: http.Server[] = [];

  beforeAll(async () => {
    role = await startRole("soap", deps);
    tenant = await makeTenant(deps.db);
    const station = await deps.db.client.station.findUniqueOrThrow({
      where: { id: tenant.stationId },
      include: { intermediary: true },
    });
    // A recording hop between simulator and station: the simulator's own requests are checked too.
    const proxy = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", async () => {
        sent.push(body);
        const answer = await fetch(`${role.url}/nodo/paForNode`, {
          method: "POST",
          headers: { "content-type": String(req.headers["content-type"]), soapaction: String(req.headers.soapaction) },
          body,
        });
        res.writeHead(answer.status, { "content-type": "text/xml" }).end(await answer.text());
      });
    });
    servers.push(proxy);
    const proxyUrl = await listen(proxy);
    const config = simulatorConfigSchema.parse({
      NODO_SIM_STATION_URL: proxyUrl,
      NODO_SIM_BROKER_PA: station.intermediary.fiscalCode,
      NODO_SIM_STATION_ID: station.code,
      NODO_SIM_DATA_DIR: mkdtempSync(path.join(tmpdir(), "nodo-sim-")),
      PAGOPA_SPECS_DIR: specs,
    });
    sim = createSimulator(config, () => undefined);
    const server = http.createServer(sim.app);
    servers.push(server);
    simUrl = await listen(server);
    sim.ctx.config.NODO_SIM_PUBLIC_URL = simUrl;
  });
  afterAll(async () => {
    for (const s of servers) await new Promise((r) => s.close(r));
    await role.stop();
    await deps.close();
  });

  async function notice(
    amountCents = 1500,
    transfers = 1,
    who = { debtor: "Mario Rossi", subject: "Servizio di prova" },
  ) {
    const created = await createPosition(
      deps.db,
      tenant,
      {
        debtor: { fiscalCode: "RSSMRA80A01H501U", name: who.debtor },
        subject: who.subject,
        single: {
          amountCents,
          dueDate: new Date(Date.now() + 86_400_000 * 30),
          transfers: Array.from({ length: transfers }, (_, i) => ({
            iban: "IT60X0542811101000000123456",
            amountCents: amountCents / transfers,
            taxonomyCode: "9/0101002IM/",
            remittanceText: `Quota ${i + 1}`,
          })),
        },
      },
      { type: "system", id: "test" },
    );
    return created.options[0]!.nav;
  }
  const pay = async (nav: string, faults?: object) =>
    (
      await fetch(`${simUrl}/psp/pay`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ fiscalCode: tenant.fiscalCode, noticeNumber: nav, ...(faults ? { faults } : {}) }),
      })
    ).json() as Promise<{
      ok: boolean;
      steps: Array<{ operation: string; outcome: string }>;
      payment: { receiptId: string };
    }>;
  const receipts = (nav: string) => deps.db.withTenant(tenant.id, (tx) => tx.receipt.findMany({ where: { nav } }));
  const optionStatus = async (nav: string) =>
    (await deps.db.withTenant(tenant.id, (tx) => tx.paymentOption.findFirstOrThrow({ where: { nav } }))).status;

  it("pays a notice at a PSP: verify, activation, receipt, and the notice is paid", async () => {
    const nav = await notice(2000, 2);
    const result = await pay(nav);
    expect(result.steps.map((s) => `${s.operation}:${s.outcome}`)).toEqual([
      "paVerifyPaymentNotice:OK",
      "paGetPaymentV2:OK",
      "paSendRTV2:OK",
    ]);
    expect(await optionStatus(nav)).toBe("PAID");
    expect((await receipts(nav)).map((r) => r.receiptId)).toEqual([result.payment.receiptId]);
    const again = await pay(nav);
    expect(again.ok).toBe(false);
    expect(again.steps[0]).toEqual(expect.objectContaining({ outcome: "PAA_PAGAMENTO_DUPLICATO" }));
  });

  it("drives Checkout: cart, hosted page, pay, back to the return URL", async () => {
    const nav = await notice();
    const returnUrls = {
      returnOkUrl: "http://portal.test/ok",
      returnCancelUrl: "http://portal.test/ko",
      returnErrorUrl: "http://portal.test/err",
      returnWaitingUrl: "http://portal.test/wait",
    };
    const cart = await fetch(`${simUrl}/checkout/ec/v2/carts`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        paymentNotices: [
          {
            noticeNumber: nav,
            fiscalCode: tenant.fiscalCode,
            amount: 1500,
            companyName: "Comune",
            description: "Servizio",
          },
        ],
        returnUrls,
      }),
    });
    expect(cart.status).toBe(302);
    const pageUrl = cart.headers.get("location")!;
    const pageHtml = await (await fetch(pageUrl)).text();
    expect(pageHtml).toContain("15,00 €");
    const paid = await fetch(pageUrl, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "action=pay&psp=BDPSIMIT",
    });
    expect(paid.headers.get("location")).toBe(returnUrls.returnOkUrl);
    expect(await optionStatus(nav)).toBe("PAID");

    const other = await notice();
    const cart2 = await fetch(`${simUrl}/carts`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        paymentNotices: [
          { noticeNumber: other, fiscalCode: tenant.fiscalCode, amount: 1500, companyName: "C", description: "S" },
        ],
        returnUrls,
      }),
    });
    const cancelled = await fetch(cart2.headers.get("location")!, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "action=cancel",
    });
    expect(cancelled.headers.get("location")).toBe(returnUrls.returnCancelUrl);
    expect(await optionStatus(other)).toBe("UNPAID");
  });

  it("refuses a cart of six notices as Checkout does", async () => {
    const notices = Array.from({ length: 6 }, () => ({
      noticeNumber: "301000000000000000",
      fiscalCode: tenant.fiscalCode,
      amount: 1,
      companyName: "C",
      description: "S",
    }));
    const res = await fetch(`${simUrl}/carts`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        paymentNotices: notices,
        returnUrls: { returnOkUrl: "a", returnCancelUrl: "b", returnErrorUrl: "c", returnWaitingUrl: "d" },
      }),
    });
    expect(res.status).toBe(400);
  });

  it("sends duplicate receipts on demand and the station keeps exactly one", async () => {
    const concurrent = await notice();
    const a = await pay(concurrent, { concurrentReceipts: 6 });
    expect(a.ok).toBe(true);
    expect(
      a.steps
        .filter((s) => s.operation === "paSendRTV2")
        .map((s) => s.outcome)
        .sort(),
    ).toEqual(["OK", ...Array(5).fill("PAA_RECEIPT_DUPLICATA")]);
    expect(await receipts(concurrent)).toHaveLength(1);

    const retried = await notice();
    const b = await pay(retried, { loseReceiptAnswer: true, receiptRetries: 1 });
    expect(b.ok).toBe(true);
    expect(b.steps.filter((s) => s.operation === "paSendRTV2").map((s) => s.outcome)).toEqual([
      "OK",
      "PAA_RECEIPT_DUPLICATA",
      "PAA_RECEIPT_DUPLICATA",
    ]);
    expect(await receipts(retried)).toHaveLength(1);
  });

  it("delivers Stand-In receipts, marked as such", async () => {
    const nav = await notice();
    const result = await pay(nav, { standIn: true });
    expect(result.ok).toBe(true);
    expect(result.steps.some((s) => s.operation === "paVerifyPaymentNotice")).toBe(false);
    expect((await receipts(nav))[0]?.standIn).toBe(true);
  });

  it("carries names as typed through activation and receipt: the receipt PDF and e-mail print them once", async () => {
    const nav = await notice(1500, 1, {
      debtor: "Maria D'Angelo & Figli",
      subject: 'Suolo pubblico "Via <Roma>" & dintorni',
    });
    const result = await pay(nav);
    expect(result.ok).toBe(true);
    const [receipt] = await receipts(nav);
    expect(receipt!.debtor).toMatchObject({ name: "Maria D'Angelo & Figli" });
    expect(receipt!.payer).toMatchObject({ name: "Maria D'Angelo & Figli" });

    const mails: OutgoingMail[] = [];
    const mailer = { send: async (m: OutgoingMail) => void mails.push(m), close: () => undefined };
    // The address given for the checkout that paid (started a few minutes before the payment).
    await rememberCheckoutRecipient(deps.redis, deps.config.QUEUE_PREFIX, {
      checkoutId: "checkout-maria",
      email: "maria@example.org",
      notices: [{ tenantId: tenant.id, nav }],
      startedAt: new Date(receipt!.paymentDateTime!.getTime() - 5 * 60_000),
    });
    await expect(sendReceiptEmail({ ...deps, mailer }, tenant.id, receipt!.receiptId)).resolves.toBe("sent");
    const text = (await pdfText(mails[0]!.attachments![0]!.content)).replace(/\s+/g, " ");
    expect(text).toContain("Maria D'Angelo & Figli");
    expect(text).toContain('Suolo pubblico "Via <Roma>" & dintorni');
    expect(text).not.toMatch(/&(amp|apos|quot|lt|gt|#\d+);/);
    expect(text).toContain("Carta di pagamento"); // the RT says creditCard
  });

  it("sends paymentDateTime as the Nodo does (Rome time, no offset), so the stored instant is the payment's", async () => {
    const nav = await notice();
    const result = (await pay(nav)) as Awaited<ReturnType<typeof pay>> & { payment: { paidAt: string } };
    const paidAt = new Date(result.payment.paidAt);
    const sentRt = sent.find((body) => body.includes("paSendRTV2") && body.includes(result.payment.receiptId))!;
    expect(/<paymentDateTime>([^<]+)</.exec(sentRt)![1]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
    const [receipt] = await receipts(nav);
    // The RT carries whole seconds: the stored instant is the payment's, truncated, never an hour off.
    expect(paidAt.getTime() - receipt!.paymentDateTime!.getTime()).toBeGreaterThanOrEqual(0);
    expect(paidAt.getTime() - receipt!.paymentDateTime!.getTime()).toBeLessThan(1_000);
  });

  it("a two-council cart pays one fee: its receipts print it once and add up to what Checkout charged", async () => {
    const valle = await makeTenant(deps.db, {
      intermediaryId: tenant.intermediaryId,
      stationId: tenant.stationId,
      name: "Comune di Valle Serena",
    } as never);
    const mine = await notice(1500);
    const theirs = (
      await createPosition(
        deps.db,
        valle,
        {
          debtor: { fiscalCode: "RSSMRA80A01H501U", name: "Mario Rossi" },
          subject: "Mensa scolastica",
          single: {
            amountCents: 2000,
            dueDate: new Date(Date.now() + 86_400_000 * 30),
            transfers: [
              {
                iban: "IT60X0542811101000000123456",
                amountCents: 2000,
                taxonomyCode: "9/0101002IM/",
                remittanceText: "Mensa",
              },
            ],
          },
        },
        { type: "system", id: "test" },
      )
    ).options[0]!.nav;
    const notices = [
      { tenantId: tenant.id, fiscalCode: tenant.fiscalCode, nav: mine, companyName: tenant.name, amount: 1500 },
      { tenantId: valle.id, fiscalCode: valle.fiscalCode, nav: theirs, companyName: valle.name, amount: 2000 },
    ];
    // What the portal does when the citizen pays the cart.
    await rememberCheckoutCart(deps.redis, deps.config.QUEUE_PREFIX, { id: "cart-two-councils", notices });
    const returnUrls = {
      returnOkUrl: "http://portal.test/ok",
      returnCancelUrl: "http://portal.test/ko",
      returnErrorUrl: "http://portal.test/err",
      returnWaitingUrl: "http://portal.test/wait",
    };
    const cart = await fetch(`${simUrl}/carts`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        paymentNotices: notices.map((n) => ({
          noticeNumber: n.nav,
          fiscalCode: n.fiscalCode,
          amount: n.amount,
          companyName: n.companyName,
          description: "Servizio",
        })),
        returnUrls,
      }),
    });
    const paid = await fetch(cart.headers.get("location")!, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "action=pay&psp=BDPSIMIT",
    });
    expect(paid.headers.get("location")).toBe(returnUrls.returnOkUrl);

    const texts: string[] = [];
    let charged = 0;
    for (const n of notices) {
      const [receipt] = await deps.db.withTenant(n.tenantId, (tx) => tx.receipt.findMany({ where: { nav: n.nav } }));
      expect(receipt!.feeCents).toBe(100); // the Nodo reports the payment's one fee on each receipt
      // The receipt-registered job, as the worker runs it.
      await receiptRegisteredJob.handle(
        {
          tenantId: n.tenantId,
          receiptId: receipt!.receiptId,
          optionId: receipt!.optionId,
          outcome: "OK",
          standIn: false,
        },
        { ...deps, mailer: { send: async () => undefined, close: () => undefined } } as never,
        {} as never,
      );
      const stored = await deps.db.withTenant(n.tenantId, (tx) =>
        tx.receipt.findUniqueOrThrow({ where: { id: receipt!.id } }),
      );
      texts.push((await pdfText((await renderReceiptPdf(deps, n.tenantId, receipt!.id)).pdf)).replace(/\s+/g, " "));
      charged += (await getReceiptByAccessToken(deps.db, stored.accessToken))!.totalCents;
    }
    expect(charged).toBe(1500 + 2000 + 100);
    const [primary, other] = texts;
    expect(primary).toContain("Commissione Euro 1,00");
    expect(primary).toContain("Totale pagato Euro 16,00");
    expect(primary).toContain("Commissione unica dell'operazione con cui sono stati pagati 2 avvisi");
    expect(other).not.toContain("Commissione Euro");
    expect(other).toContain("Totale pagato Euro 20,00");
    expect(other).toContain(
      `indicata sulla ricevuta dell'avviso ${mine.replace(/(\d{4})(?=\d)/g, "$1 ")} (${tenant.name})`,
    );
  });

  it("builds reporting flows valid against FlussoRiversamento 1.0.5 and serves them by SOAP and REST", async () => {
    const flows = (await (
      await fetch(`${simUrl}/admin/fdr/generate`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      })
    ).json()) as Array<{ flowId: string; idPSP: string; totalCents: number; count: number }>;
    expect(flows.length).toBeGreaterThan(0);
    const mine = sim.ctx.store.flows.filter((f) => f.creditorFiscalCode === tenant.fiscalCode);
    const paidToUs = sim.ctx.store.payments.filter((p) => p.idPA === tenant.fiscalCode).flatMap((p) => p.transfers);
    expect(mine.reduce((s, f) => s + f.totalCents, 0)).toBe(paidToUs.reduce((s, t) => s + t.amountCents, 0));
    for (const f of mine) {
      const rows = [...f.xml.matchAll(/<singoloImportoPagato>([\d.]+)</g)].map((m) => Math.round(Number(m[1]) * 100));
      expect(rows.reduce((s, r) => s + r, 0)).toBe(f.totalCents);
    }
    const flow = mine[0]!;
    const soapAnswer = await (
      await fetch(`${simUrl}/nodo/nodoPerPa`, {
        method: "POST",
        headers: { "content-type": "text/xml" },
        body: `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:nfpa="http://ws.pagamenti.telematici.gov/"><soapenv:Body><nfpa:nodoChiediFlussoRendicontazione><identificativoIntermediarioPA>${sim.ctx.config.NODO_SIM_BROKER_PA}</identificativoIntermediarioPA><identificativoStazioneIntermediarioPA>${sim.ctx.config.NODO_SIM_STATION_ID}</identificativoStazioneIntermediarioPA><password>x</password><identificativoDominio>${tenant.fiscalCode}</identificativoDominio><identificativoFlusso>${flow.flowId}</identificativoFlusso></nfpa:nodoChiediFlussoRendicontazione></soapenv:Body></soapenv:Envelope>`,
      })
    ).text();
    const b64 = /<xmlRendicontazione>([^<]+)</.exec(soapAnswer)![1]!;
    expect(Buffer.from(b64, "base64").toString("utf8")).toBe(flow.xml);
    const rest = (await (
      await fetch(
        `${simUrl}/fdr/organizations/${tenant.fiscalCode}/fdrs/${flow.flowId}/revisions/1/psps/${flow.idPSP}/payments`,
      )
    ).json()) as { count: number };
    expect(rest.count).toBe(flow.count);
    const csv = await (await fetch(`${simUrl}/admin/treasury/${tenant.fiscalCode}.csv`)).text();
    expect(csv).toContain(`/PUR/LGPE-RIVERSAMENTO/URI/${flow.flowId}`);

    if (!existsSync(path.join(specs, "xsd-common/FlussoRiversamento_1_0_5.xsd"))) return;
    const dir = mkdtempSync(path.join(tmpdir(), "fdr-"));
    const files = mine.map((f, i) => {
      const file = path.join(dir, `f${i}.xml`);
      writeFileSync(file, f.xml);
      return file;
    });
    await run("xmllint", [
      "--noout",
      "--schema",
      path.join(specs, "xsd-common/FlussoRiversamento_1_0_5.xsd"),
      ...files,
    ]);
  });

  it.skipIf(!hasSpecs)("sent only schema-valid requests, and got only schema-valid answers", async () => {
    expect(sim.ctx.xsd.violations).toEqual([]);
    const dir = mkdtempSync(path.join(tmpdir(), "sim-req-"));
    const files = sent.map((body, i) => {
      const file = path.join(dir, `r${i}.xml`);
      writeFileSync(file, bodyElement(body)!);
      return file;
    });
    expect(files.length).toBeGreaterThan(10);
    await run("xmllint", ["--noout", "--schema", path.join(specs, "wsdl/xsd/paForNode.xsd"), ...files]);
  });
});
