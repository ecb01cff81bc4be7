import type { Writable } from "node:stream";
import type { Database } from "../platform/db/database.ts";
import { splitLinePages, type SplitLine } from "./accounting-split-lines.ts";
import { classificationPages } from "./list-classifications.ts";
import type { ClassificationQuery, ReconciliationPeriod } from "./reconciliation-period.ts";
import { euroDot, MYPAY_PAID_COLUMNS, mypayPaidCells } from "../exports/paid-layouts.ts";
import { writeTable, type Cell, type ExportFormat } from "../exports/table.ts";

export type TabularFormat = ExportFormat;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);
// CSV for people: euro with a comma; XLSX: a number with the euro format.
const amount = (cents: number, format: TabularFormat): Cell =>
  format === "xlsx" ? cents / 100 : euroDot(cents).replace(".", ",");

/** The period's classifications (optionally one code), streamed as CSV or XLSX. */
export async function exportClassifications(
  db: Database,
  tenantId: string,
  q: ClassificationQuery,
  format: TabularFormat,
  out: Writable,
): Promise<void> {
  const header = [
    "giorno",
    "esito",
    "soggetto",
    "iuv",
    "numero_avviso",
    "id_ricevuta",
    "flusso",
    "accredito",
    "psp",
    "tipo_dovuto",
    "importo",
  ];
  async function* rows() {
    for await (const page of classificationPages(db, tenantId, q))
      for (const r of page)
        yield [
          isoDay(r.day),
          r.code,
          r.subjectKind,
          r.iuv,
          r.nav,
          r.receiptId,
          r.flowId,
          r.creditId,
          r.pspId,
          r.paymentTypeCode,
          amount(r.amountCents, format),
        ] satisfies Cell[];
  }
  await writeTable({ header, delimiter: ";", rows: rows(), sheet: "Esiti", euroColumns: [10] }, format, out);
}

export type SplitFormat = TabularFormat | "mypivot";

/**
 * The accounting split of the period's collected payments: one line per chapter/assessment part
 * (CSV or XLSX), or MyPivot's paid-debts layout (MyPay's paid export with its `bilancio` column:
 * one row per payment, the split as `<bilancio>` XML) for the council's accounting system.
 */
export async function exportAccountingSplit(
  db: Database,
  tenantId: string,
  period: ReconciliationPeriod,
  layout: SplitFormat,
  out: Writable,
): Promise<void> {
  if (layout === "mypivot")
    return writeTable(
      { header: MYPIVOT_HEADER, delimiter: ";", rows: mypivotRows(db, tenantId, period), sheet: "Pagati" },
      "csv",
      out,
    );
  const format: TabularFormat = layout;
  const header = [
    "giorno",
    "iuv",
    "numero_avviso",
    "id_ricevuta",
    "versamento",
    "capitolo",
    "ufficio",
    "accertamento",
    "importo",
    "tipo_dovuto",
    "esito",
    "psp",
  ];
  async function* rows() {
    for await (const page of splitLinePages(db, tenantId, period))
      for (const l of page)
        yield [
          isoDay(l.day),
          l.iuv,
          l.nav,
          l.receiptId,
          l.transferIndex,
          l.budgetChapter,
          l.office,
          l.assessment,
          amount(l.amountCents, format),
          l.paymentTypeCode,
          l.code,
          l.pspId,
        ] satisfies Cell[];
  }
  await writeTable({ header, delimiter: ";", rows: rows(), sheet: "Ripartizione", euroColumns: [8] }, format, out);
}

/** MyPivot's paid-debts layout: MyPay's paid columns ending with `bilancio` (not the riscossione id). */
export const MYPIVOT_HEADER = [...MYPAY_PAID_COLUMNS, "bilancio"];

const xml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** `<bilancio>` of one payment's lines: a capitolo per chapter/office, an accertamento per line. */
export function bilancioXml(lines: SplitLine[]): string {
  const chapters = new Map<string, SplitLine[]>();
  for (const l of lines) {
    const key = `${l.budgetChapter ?? ""}\u0000${l.office ?? ""}`;
    chapters.set(key, [...(chapters.get(key) ?? []), l]);
  }
  const body = [...chapters.values()]
    .map((ls) => {
      const first = ls[0]!;
      const office = first.office ? `<codUfficio>${xml(first.office)}</codUfficio>` : "";
      const acc = ls
        .map(
          (l) =>
            `<accertamento><codAccertamento>${xml(l.assessment ?? "")}</codAccertamento><importo>${euroDot(l.amountCents)}</importo></accertamento>`,
        )
        .join("");
      return `<capitolo><codCapitolo>${xml(first.budgetChapter ?? "")}</codCapitolo>${office}${acc}</capitolo>`;
    })
    .join("");
  return `<bilancio>${body}</bilancio>`;
}

// Lines come ordered by day and IUV; one payment's lines may straddle two pages.
async function* mypivotRows(db: Database, tenantId: string, period: ReconciliationPeriod): AsyncGenerator<Cell[]> {
  let group: SplitLine[] = [];
  const row = (ls: SplitLine[]): Cell[] => {
    const l = ls[0]!;
    return [
      ...mypayPaidCells({
        ...l,
        paidAt: l.paymentDateTime ?? l.day,
        amountCents: ls.reduce((s, x) => s + x.amountCents, 0),
      }),
      ls.some((x) => x.budgetChapter) ? bilancioXml(ls) : "",
    ];
  };
  for await (const page of splitLinePages(db, tenantId, period))
    for (const l of page) {
      if (group.length > 0 && group[0]!.iuv !== l.iuv) {
        yield row(group);
        group = [];
      }
      group.push(l);
    }
  if (group.length > 0) yield row(group);
}
