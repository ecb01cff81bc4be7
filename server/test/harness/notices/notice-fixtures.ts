import { buildNav } from "../../../pagopa/index.ts";
import type { NoticeOption, NoticePosition, PrintableNoticeTenant } from "../../../notices/notice.schema.ts";

/** Data for notice tests, with checksum-valid NAVs from server/pagopa. */
export function fixtureTenant(overrides: Partial<PrintableNoticeTenant> = {}): PrintableNoticeTenant {
  return {
    id: "00000000-0000-7000-8000-000000000001",
    fiscalCode: "00345670210",
    ipaCode: "c_x001",
    name: "Comune di Borgo Fiorito",
    sector: "Settore Tributi",
    info: "Piazza Municipio 1 · tributi@borgofiorito.example",
    cbill: "bf001",
    postalAccount: null,
    postalHolder: null,
    branding: {},
    ...overrides,
  };
}

let next = 1;

export function fixtureOption(
  kind: "SINGLE" | "INSTALLMENT",
  amountCents: number,
  dueDate: string,
  n: number | null = null,
  count: number | null = null,
): NoticeOption {
  const { nav, iuv } = buildNav({ auxDigit: 3, segregationCode: "01", iuvBase: next++ });
  return { kind, nav, iuv, amountCents, dueDate: new Date(dueDate), installmentNumber: n, installmentCount: count };
}

export function fixtureInstallments(count: number, firstCents = 10_000): NoticeOption[] {
  return Array.from({ length: count }, (_, i) =>
    fixtureOption(
      "INSTALLMENT",
      firstCents + i * 111,
      `2026-${String(i + 3).padStart(2, "0")}-15T10:00:00Z`,
      i + 1,
      count,
    ),
  );
}

export function fixturePosition(options: NoticeOption[], overrides: Partial<NoticePosition> = {}): NoticePosition {
  return {
    id: `00000000-0000-7000-8000-${String(next++).padStart(12, "0")}`,
    iupd: "IUPD-1",
    subject: "TARI 2026 - Tassa rifiuti",
    debtorFiscalCode: "RSSMRA80A01H501U",
    debtorName: "Mario Rossi",
    debtorAddress: "Via Roma 12",
    debtorCity: "Borgo Fiorito",
    debtorPostalCode: "00100",
    debtorProvince: "RM",
    options,
    ...overrides,
  };
}
