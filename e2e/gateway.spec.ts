import { randomUUID } from "node:crypto";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { E2E } from "./ports.ts";

/**
 * Issue 14's first check, end to end on the whole platform: a council system with a
 * client-credentials token from the dev IdP puts its debts in PontePA, starts a payment from its
 * portal (OTF) that the citizen completes at the simulator's Checkout and comes back from, and is
 * told by signed webhooks and the receipts feed, once each.
 */
const IPA = "c_x001";
const BORGO_IBAN = "IT68D0306912345100000012345";
const VALLE = { fiscalCode: "00298130246", iban: "IT91Z0503411701000000004321" };
const RETURN = `${E2E.webhookReceiverUrl}/portale-ente/`;
const debtor = { fiscalCode: "RSSMRA80A01H501U", name: "Mario Rossi" };
const transfer = (amountCents: number, extra: Record<string, unknown> = {}) => ({
  amountCents,
  taxonomyCode: "9/0101002IM/",
  remittanceText: "Servizi scolastici",
  iban: BORGO_IBAN,
  ...extra,
});
const option = (amountCents: number, dueDate: string) => ({ amountCents, dueDate, transfers: [transfer(amountCents)] });

interface Arrived {
  path: string;
  id: string;
  signature: "valid" | "invalid" | "unknown";
  type: string | null;
  body: string;
  answered: number;
}

async function staffCreatesApiClient(page: Page): Promise<{ id: string; secret: string }> {
  await page.goto("/backoffice/");
  await page.getByLabel("Nome utente").fill("admin.borgo");
  await page.getByLabel("Password").fill("demo");
  await page.getByRole("button", { name: "Accedi" }).click();
  await expect(page).toHaveURL(/\/backoffice\/enti\/c_x001$/);
  await page.goto(`/backoffice/enti/${IPA}/client-api`);
  await page.getByLabel("Nome", { exact: true }).fill(`Gestionale tributi e2e ${randomUUID().slice(0, 8)}`);
  // Bootstrap Italia draws the checkbox with its label: a click on the label ticks it.
  for (const role of ["read", "write", "pay"])
    if (!(await page.locator(`#role-${role}`).isChecked())) await page.locator(`label[for=role-${role}]`).click();
  await page.getByLabel(/Indirizzi di ritorno ammessi/).fill(RETURN);
  await page.getByRole("button", { name: "Crea il client" }).click();
  const id = (await page.locator("#client-id").textContent())!.trim();
  const secret = (await page.locator("#client-secret").textContent())!.trim();
  expect(secret.length).toBeGreaterThan(16);
  return { id, secret };
}

async function clientCredentials(request: APIRequestContext, id: string, secret: string): Promise<string> {
  const res = await request.post(`${E2E.idpUrl}/realms/pontepa/protocol/openid-connect/token`, {
    form: { grant_type: "client_credentials", client_id: id, client_secret: secret },
  });
  expect(res.status(), await res.text()).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

test("a council system: positions through the API, an OTF payment at Checkout, webhooks and the receipts feed once each", async ({
  page,
  request,
}) => {
  test.setTimeout(180_000);
  const client = await staffCreatesApiClient(page);
  const token = await clientCredentials(request, client.id, client.secret);
  const api = async (method: string, path: string, data?: unknown) => {
    const res = await request.fetch(`${E2E.baseUrl}/api/v1/tenants/${IPA}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "idempotency-key": randomUUID() },
      ...(data === undefined ? {} : { data }),
    });
    const text = await res.text();
    return { status: res.status(), json: (text ? JSON.parse(text) : {}) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };

  // The council's webhook endpoint on the demo receiver, whose verifier learns the secret shown once.
  const hookPath = `/hooks/e2e-${randomUUID()}`;
  const endpoint = await api("POST", "/webhooks", {
    url: `${E2E.webhookReceiverUrl}${hookPath}`,
    events: ["position.paid", "receipt.stored"],
  });
  expect(endpoint.status, JSON.stringify(endpoint.json)).toBe(201);
  expect(
    (await request.post(`${E2E.webhookReceiverUrl}/segreti`, { data: { secret: endpoint.json.secret } })).ok(),
  ).toBe(true);

  // A single payment, a 3-installment plan beside its single option, a 2-beneficiary position.
  const run = randomUUID().slice(0, 8);
  const single = await api("POST", "/positions", {
    externalId: `MENSA-${run}`,
    subject: "Mensa scolastica - dicembre",
    debtor,
    single: option(4_250, "2027-03-31"),
  });
  expect(single.status, JSON.stringify(single.json)).toBe(201);
  const plan = await api("POST", "/positions", {
    externalId: `TARI-${run}`,
    subject: "TARI 2027",
    debtor,
    single: option(30_000, "2027-06-30"),
    installments: [option(10_000, "2027-06-30"), option(10_000, "2027-09-30"), option(10_000, "2027-12-31")],
  });
  expect(plan.status).toBe(201);
  expect(plan.json.options.map((o: { installmentNumber: number | null }) => o.installmentNumber)).toEqual([
    null,
    1,
    2,
    3,
  ]);
  const shared = await api("POST", "/positions", {
    externalId: `CONV-${run}`,
    subject: "Convenzione trasporto scolastico",
    debtor,
    single: {
      amountCents: 5_000,
      dueDate: "2027-04-30",
      transfers: [transfer(3_000), transfer(2_000, { beneficiaryFiscalCode: VALLE.fiscalCode, iban: VALLE.iban })],
    },
  });
  expect(shared.status, JSON.stringify(shared.json)).toBe(201);
  expect(
    shared.json.options[0].transfers.map((t: { beneficiaryFiscalCode: string }) => t.beneficiaryFiscalCode),
  ).toEqual(["00345670210", VALLE.fiscalCode]);

  // Read back by the council's own id and by notice number.
  const byExternalId = await api("GET", `/positions/by-external-id/TARI-${run}`);
  expect(byExternalId.json.id).toBe(plan.json.id);
  const secondInstallment = plan.json.options[2].nav as string;
  const byNav = await api("GET", `/notices/${secondInstallment}`);
  expect(byNav.json.id).toBe(plan.json.id);

  // Update one: the single payment's amount and due date.
  const singleNav = single.json.options[0].nav as string;
  const updated = await api("PATCH", `/positions/${single.json.id}`, {
    options: [{ nav: singleNav, amountCents: 4_800, dueDate: "2027-04-15" }],
  });
  expect(updated.status, JSON.stringify(updated.json)).toBe(200);
  expect(updated.json.options[0]).toMatchObject({ amountCents: 4_800, dueDate: "2027-04-15" });

  // The council's portal starts the payment (OTF); the citizen pays at the simulator's Checkout.
  const payment = await api("POST", "/payments", {
    items: [{ externalId: `MENSA-${run}` }],
    returnUrls: { ok: `${RETURN}esito`, cancel: `${RETURN}annullato`, error: `${RETURN}errore` },
  });
  expect(payment.status, JSON.stringify(payment.json)).toBe(201);
  await page.goto(payment.json.checkoutUrl as string);
  await expect(page).toHaveURL(new RegExp(`^${E2E.simulatorUrl}/checkout`));
  await page.getByRole("button", { name: /Paga/ }).click();
  // Back on the council's URL for success, with the payment id PontePA gave its portal.
  await expect(page).toHaveURL(
    new RegExp(`^${RETURN}esito\\?paymentId=${payment.json.paymentId as string}&esito=ok$`),
    { timeout: 30_000 },
  );
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Portale dell'ente: pagamento riuscito");

  // The status PontePA keeps for the portal's payment turns to paid.
  await expect
    .poll(async () => (await api("GET", `/payments/${payment.json.paymentId as string}`)).json.allPaid, {
      timeout: 30_000,
    })
    .toBe(true);

  // The receiver gets position.paid and receipt.stored once each, validly signed.
  const mine = async () =>
    ((await (await request.get(`${E2E.webhookReceiverUrl}/messages`)).json()) as Arrived[]).filter(
      (m) => m.path === hookPath,
    );
  await expect
    .poll(async () => (await mine()).map((m) => m.type).sort(), { timeout: 30_000 })
    .toEqual(["position.paid", "receipt.stored"]);
  // A few relay rounds later nothing arrives twice.
  await page.waitForTimeout(3_000);
  const arrived = await mine();
  expect(arrived).toHaveLength(2);
  for (const m of arrived) {
    expect(m.signature, m.type ?? "").toBe("valid");
    expect(m.answered).toBe(200);
    expect(JSON.parse(m.body).data.positionId).toBe(single.json.id);
  }
  expect(new Set(arrived.map((m) => m.id)).size).toBe(2);
  const receiptId = JSON.parse(arrived.find((m) => m.type === "receipt.stored")!.body).data.receiptId as string;
  expect(receiptId).toBeTruthy();

  // The receipts feed: the receipt once across two calls (the second from the first's cursor).
  const feed = async (cursor?: string) =>
    (await api("GET", `/receipts${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ""}`)).json as {
      items: Array<{ receiptId: string; nav: string }>;
      nextCursor: string | null;
    };
  // Follow the cursor (the demo pack may hold receipts of its own); a receipt shows once settled (~10 s).
  let cursor: string | undefined;
  const seen: string[] = [];
  await expect
    .poll(
      async () => {
        const page = await feed(cursor);
        seen.push(...page.items.map((r) => r.receiptId));
        cursor = page.nextCursor ?? cursor;
        return seen.includes(receiptId);
      },
      { timeout: 40_000, intervals: [1_000] },
    )
    .toBe(true);
  const next = await feed(cursor);
  seen.push(...next.items.map((r) => r.receiptId));
  expect(seen.filter((id) => id === receiptId)).toHaveLength(1);
});
