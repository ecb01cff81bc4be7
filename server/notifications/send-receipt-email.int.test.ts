import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMailCatcher, type MailCatcher } from "../../infra/mail-catcher/catcher.ts";
import type { Deps } from "../platform/deps.ts";
import { createPosition } from "../positions/create-position.ts";
import { registerReceipt, type ReceiptInput } from "../positions/register-receipt.ts";
import { makeTenant } from "../test/factories.ts";
import { testDeps } from "../test/support.ts";
import type { Tenant } from "../generated/prisma/client.ts";
import { receiptRegisteredJob } from "./receipt-registered.job.ts";
import { rememberCheckoutRecipient } from "./receipt-recipient.ts";
import { sendReceiptEmail } from "./send-receipt-email.ts";

const actor = { type: "staff" as const, id: "mail-test" };
let counter = 0;

describe("receipt e-mail through SMTP (the development mail catcher)", () => {
  let catcher: MailCatcher;
  let deps: Deps;
  let tenant: Tenant;

  async function paid(payer: ReceiptInput["payer"] = null) {
    const created = await createPosition(
      deps.db,
      tenant,
      {
        debtor: { fiscalCode: "RSSMRA80A01H501U", name: "Mario Rossi" },
        subject: "Diritti di segreteria",
        single: {
          amountCents: 1_600,
          dueDate: new Date("2026-12-31T10:00:00Z"),
          transfers: [
            {
              iban: "IT60X0542811101000000123456",
              amountCents: 1_600,
              taxonomyCode: "9/0101002IM/",
              remittanceText: "Diritti",
            },
          ],
        },
      },
      actor,
    );
    const option = created.options[0]!;
    const receiptId = `rcpt-mail-${Date.now()}-${++counter}`;
    const stored = await registerReceipt(
      deps.db,
      tenant,
      {
        receiptId,
        nav: option.nav,
        noticeFiscalCode: tenant.fiscalCode,
        outcome: "OK",
        creditorReferenceId: option.iuv,
        amountCents: 1_600,
        feeCents: 50,
        pspId: "PSPTEST",
        standIn: false,
        paymentDateTime: new Date("2026-03-10T09:15:00Z"),
        payer,
        transfers: [
          {
            index: 1,
            amountCents: 1_600,
            fiscalCodePA: tenant.fiscalCode,
            iban: "IT60X0542811101000000123456",
            remittanceText: "Diritti",
            category: "9/0101002IM/",
          },
        ],
      },
      async () => undefined,
    );
    return { nav: option.nav, receiptId, stored, optionId: option.id };
  }
  // The citizen started a checkout five minutes before the PSP dated the payment.
  const given = (nav: string, email: string) =>
    rememberCheckoutRecipient(deps.redis, deps.config.QUEUE_PREFIX, {
      checkoutId: `co-${nav}`,
      email,
      notices: [{ tenantId: tenant.id, nav }],
      startedAt: new Date("2026-03-10T09:10:00Z"),
    });
  const inbox = (to: string) => catcher.messages.filter((m) => m.to.includes(to));

  beforeAll(async () => {
    catcher = await startMailCatcher({ smtpPort: 0, httpPort: 0 });
    deps = testDeps({
      SMTP_URL: `smtp://127.0.0.1:${catcher.smtpPort}`,
      PUBLIC_BASE_URL: "https://pagamenti.example.it",
    });
    tenant = await makeTenant(deps.db, { name: "Comune di Borgo Fiorito" });
  });
  afterAll(async () => {
    await deps.close();
    await catcher.close();
  });

  it("mails the address given on the portal the receipt link and PDF, once", async () => {
    const { nav, receiptId, stored } = await paid();
    await given(nav, "giulia@example.org");
    await expect(sendReceiptEmail(deps, tenant.id, receiptId)).resolves.toBe("sent");

    const [mail, ...more] = inbox("giulia@example.org");
    expect(more).toEqual([]);
    expect(mail!.subject).toBe("Ricevuta di pagamento pagoPA - Comune di Borgo Fiorito");
    expect(mail!.text).toContain(`https://pagamenti.example.it/ricevute/${stored.accessToken}`);
    expect(mail!.text).toContain("il pagamento di 16,50 euro a favore di Comune di Borgo Fiorito");
    expect(mail!.text).toContain("10/03/2026 10:15"); // Rome time
    expect(mail!.html).toContain(`href="https://pagamenti.example.it/ricevute/${stored.accessToken}"`);
    expect(mail!.attachments).toEqual([
      expect.objectContaining({
        filename: `ricevuta-${receiptId}-${tenant.ipaCode}.pdf`,
        contentType: "application/pdf",
      }),
    ]);
    expect(mail!.attachments[0]!.size).toBeGreaterThan(1_000);

    // A retried job does not mail again.
    await expect(sendReceiptEmail(deps, tenant.id, receiptId)).resolves.toBe("already-sent");
    expect(inbox("giulia@example.org")).toHaveLength(1);
  });

  it("falls back to the payer's e-mail in the pagoPA receipt, and mails no one without an address", async () => {
    const fromRt = await paid({ fiscalCode: "BNCGLI85M45L736L", name: "Giulia Bianchi", email: "payer@example.org" });
    await expect(sendReceiptEmail(deps, tenant.id, fromRt.receiptId)).resolves.toBe("sent");
    expect(inbox("payer@example.org")).toHaveLength(1);

    const nobody = await paid();
    const before = catcher.messages.length;
    await expect(sendReceiptEmail(deps, tenant.id, nobody.receiptId)).resolves.toBe("no-recipient");
    await expect(sendReceiptEmail(deps, tenant.id, "no-such-receipt")).resolves.toBe("not-found");
    expect(catcher.messages).toHaveLength(before);
  });

  it("is what the receipt-registered job does for a paid receipt", async () => {
    const { nav, receiptId, optionId } = await paid();
    await given(nav, "job@example.org");
    const payload = { tenantId: tenant.id, receiptId, optionId, outcome: "OK" as const, standIn: false };
    await expect(
      receiptRegisteredJob.handle(payload, deps, { data: payload } as Parameters<
        typeof receiptRegisteredJob.handle
      >[2]),
    ).resolves.toMatchObject({ email: "sent" });
    expect(inbox("job@example.org")).toHaveLength(1);
  });
});
