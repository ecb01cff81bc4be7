import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Database } from "../platform/db/database.ts";
import { createChromiumPool } from "../platform/pdf/index.ts";
import { createPosition, type CreatedPosition } from "../positions/create-position.ts";
import { registerReceipt, type ReceiptInput } from "../positions/register-receipt.ts";
import { makeTenant } from "../test/factories.ts";
import { testConfig } from "../test/support.ts";
import type { Tenant } from "../generated/prisma/client.ts";
import { missingTools, pdfText } from "../test/harness/notices/pdf-inspect.ts";
import { renderReceiptPdf, renderReceiptPdfByAccessToken } from "./render-receipt-pdf.ts";

const missing = missingTools();
if (missing.length)
  throw new Error(`Receipt tests read PDFs back with: ${missing.join(", ")}. Install them (infra/local/install.sh).`);

const actor = { type: "staff" as const, id: "receipt-test" };
const noFollowUps = async () => undefined;
let receiptCounter = 0;

describe("receipt PDF", () => {
  const db = new Database({ url: inject("databaseUrl") });
  const pdf = createChromiumPool(testConfig());
  const deps = { db, pdf };
  let council: Tenant;
  let province: Tenant;

  beforeAll(async () => {
    council = await makeTenant(db, { name: "Comune di Borgo Fiorito" });
    province = await makeTenant(db, { name: "Provincia di Prova" });
  });
  afterAll(async () => {
    await pdf.close();
    await db.close();
  });

  /** A TARI position split between the council (95%) and the province (TEFA, 5%), then paid. */
  async function paidPosition(overrides: Partial<ReceiptInput> = {}) {
    const position: CreatedPosition = await createPosition(
      db,
      council,
      {
        debtor: { fiscalCode: "RSSMRA80A01H501U", name: "Mario Rossi" },
        subject: "TARI 2026 - saldo",
        single: {
          amountCents: 20_000,
          dueDate: new Date("2026-12-31T10:00:00Z"),
          transfers: [
            {
              iban: "IT60X0542811101000000123456",
              amountCents: 19_000,
              taxonomyCode: "9/0101002IM/",
              remittanceText: "TARI 2026",
            },
            {
              beneficiaryFiscalCode: province.fiscalCode,
              iban: "IT09X0306909606100000063333",
              amountCents: 1_000,
              taxonomyCode: "9/0201133IM/",
              remittanceText: "TEFA 2026",
            },
          ],
        },
      },
      actor,
    );
    const option = position.options[0]!;
    const input: ReceiptInput = {
      receiptId: `rcpt-${Date.now()}-${++receiptCounter}`,
      nav: option.nav,
      noticeFiscalCode: council.fiscalCode,
      outcome: "OK",
      creditorReferenceId: option.iuv,
      amountCents: 20_000,
      feeCents: 150,
      pspId: "BCITITMM",
      pspName: "Banca Intesa di Prova",
      channelId: "BCITITMM_01",
      paymentMethod: "CP",
      paymentDateTime: new Date("2026-07-01T22:30:00Z"),
      standIn: false,
      payer: { fiscalCode: "BNCGLI85M45L736L", name: "Giulia Bianchi" },
      debtor: { fiscalCode: "RSSMRA80A01H501U", name: "Mario Rossi" },
      transfers: [
        {
          index: 1,
          amountCents: 19_000,
          fiscalCodePA: council.fiscalCode,
          iban: "IT60X0542811101000000123456",
          remittanceText: "TARI 2026",
          category: "9/0101002IM/",
        },
        {
          index: 2,
          amountCents: 1_000,
          fiscalCodePA: province.fiscalCode,
          iban: "IT09X0306909606100000063333",
          remittanceText: "TEFA 2026",
          category: "9/0201133IM/",
        },
      ],
      ...overrides,
    };
    const stored = await registerReceipt(db, council, input, noFollowUps);
    return { position, input, stored };
  }

  it("prints payer, debtor, council, PSP, date and time in Rome, amount, fee and each beneficiary", async () => {
    const { input, stored } = await paidPosition();
    const out = await renderReceiptPdf(deps, council.id, stored.id);
    expect(out.fileName).toBe(`ricevuta-${input.receiptId}-${council.ipaCode}.pdf`);
    expect(out.pdf.subarray(0, 5).toString()).toBe("%PDF-");
    // NOTICE_SCREENS_DIR=dir keeps the PDF to look at (pdftoppm -png).
    if (process.env.NOTICE_SCREENS_DIR)
      await writeFile(path.join(process.env.NOTICE_SCREENS_DIR, "receipt.pdf"), out.pdf);
    const text = (await pdfText(out.pdf)).replace(/[ \t]+/g, " ");
    for (const expected of [
      "RICEVUTA DI PAGAMENTO",
      "Comune di Borgo Fiorito",
      council.fiscalCode,
      "Euro 201,50", // amount plus fee
      "Euro 200,00",
      "Euro 1,50",
      "02/07/2026 00:30", // 22:30 UTC on 1 July is past midnight in Rome (CEST)
      "Banca Intesa di Prova (BCITITMM)",
      "Carta di pagamento",
      "Giulia Bianchi",
      "BNCGLI85M45L736L",
      "Mario Rossi",
      "RSSMRA80A01H501U",
      "TARI 2026 - saldo",
      input.receiptId,
      input.creditorReferenceId,
      input.nav.replace(/(\d{4})(?=\d)/g, "$1 "),
      "Provincia di Prova",
      province.fiscalCode,
      "TEFA 2026",
      "190,00",
      "10,00",
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain("Stand-In");
  });

  it("is reachable by the payer's access token, and by nothing else", async () => {
    const { stored, input } = await paidPosition({ standIn: true });
    const out = await renderReceiptPdfByAccessToken(deps, stored.accessToken);
    expect(out.receiptId).toBe(input.receiptId);
    expect(await pdfText(out.pdf)).toContain("Stand-In");
    await expect(renderReceiptPdfByAccessToken(deps, stored.accessToken.slice(0, -2) + "xx")).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(renderReceiptPdfByAccessToken(deps, "../../etc/passwd")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("refuses another council's receipt and a payment that did not take place", async () => {
    const { stored } = await paidPosition();
    await expect(renderReceiptPdf(deps, province.id, stored.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(renderReceiptPdf(deps, council.id, "not-a-uuid")).rejects.toMatchObject({ code: "NOT_FOUND" });
    const failed = await paidPosition({ outcome: "KO" });
    await expect(renderReceiptPdf(deps, council.id, failed.stored.id)).rejects.toMatchObject({
      code: "RECEIPT_NOT_PAID",
    });
  });
});
