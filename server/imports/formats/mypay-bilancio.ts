import { XMLParser } from "fast-xml-parser";
import * as f from "../fields.ts";
import { RowError } from "../record.ts";

export interface BilancioLine {
  budgetChapter: string;
  office?: string;
  assessment?: string;
  amountCents: number;
}

// Text only: codes such as "0012" must keep their leading zeros.
const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => name === "capitolo" || name === "accertamento",
});

const COLUMN = "bilancio";

/**
 * MyPay's `bilancio` column (tracciato 1.2+): `<bilancio><capitolo><codCapitolo/><codUfficio/>
 * <accertamento><codAccertamento/><importo/></accertamento>…</capitolo>…</bilancio>`, one line per
 * accertamento (a chapter without accertamento is one line with its own `importo`). The lines
 * must add up to the amount they split.
 */
export function readBilancio(xml: string, amountCents: number): BilancioLine[] {
  let doc: { bilancio?: { capitolo?: Array<Record<string, unknown>> } };
  try {
    doc = parser.parse(xml, true) as typeof doc;
  } catch {
    throw new RowError("FORMATO_NON_VALIDO", COLUMN, "bilancio: XML non valido");
  }
  const chapters = doc.bilancio?.capitolo ?? [];
  if (chapters.length === 0) throw new RowError("FORMATO_NON_VALIDO", COLUMN, "bilancio: nessun capitolo");
  const lines: BilancioLine[] = [];
  for (const c of chapters) {
    const budgetChapter = f.requiredText(str(c.codCapitolo), "bilancio/codCapitolo", 64);
    const office = f.text(str(c.codUfficio), "bilancio/codUfficio", 64);
    const assessments = (c.accertamento as Array<Record<string, unknown>> | undefined) ?? [];
    if (assessments.length === 0)
      lines.push({ budgetChapter, office, amountCents: f.dottedAmount(str(c.importo), "bilancio/importo") });
    for (const a of assessments)
      lines.push({
        budgetChapter,
        office,
        assessment: f.text(str(a.codAccertamento), "bilancio/codAccertamento", 64),
        amountCents: f.dottedAmount(str(a.importo), "bilancio/importo"),
      });
  }
  const total = lines.reduce((s, l) => s + l.amountCents, 0);
  if (total !== amountCents)
    throw new RowError(
      "IMPORTO_NON_VALIDO",
      COLUMN,
      `bilancio: la somma degli importi (${euro(total)}) è diversa dall'importo ripartito (${euro(amountCents)})`,
    );
  return lines;
}

const str = (v: unknown) => (typeof v === "string" ? v : v === undefined ? undefined : String(v));
const euro = (c: number) => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, "0")}`;
