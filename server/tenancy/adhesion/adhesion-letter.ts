import type { Database } from "../../platform/db/database.ts";
import type { PdfRenderer } from "../../platform/pdf/index.ts";
import { AppError } from "../../platform/errors.ts";
import { TemplateEngine, type Template } from "../../platform/templates/index.ts";
import { italianDay, romeDayOf } from "../../platform/rome-day.ts";
import { loadRequest, platformScope } from "./transition.ts";

interface LetterView {
  intermediary: string;
  name: string;
  ipaCode: string;
  fiscalCode: string;
  pecEmail: string | null;
  contactName: string;
  contactEmail: string;
  today: string;
}

const CSS = `body{font-family:"DejaVu Sans",Arial,sans-serif;font-size:11pt;line-height:1.45;margin:2cm}
h1{font-size:15pt;margin:1.2em 0}.to{text-align:right}.sign{margin-top:3em;text-align:right}`;
let template: Template<LetterView> | null = null;

/**
 * The letter of adhesion, filled from the request (registry data and contact person), as a
 * tagged PDF for the council's legal representative to sign digitally (PAdES or CAdES) and
 * upload back. Available once the contact person is known.
 * @throws AppError NOT_FOUND | ADHESION_NO_CONTACT | PDF_*
 */
export async function renderAdhesionLetter(
  deps: { db: Database; pdf: PdfRenderer },
  ipaCode: string,
  now = new Date(),
): Promise<{ fileName: string; pdf: Buffer }> {
  const { r, intermediary } = await platformScope(deps.db, "render the letter", async (tx) => ({
    r: await loadRequest(tx, ipaCode),
    intermediary: (await tx.intermediary.findFirst({ orderBy: { createdAt: "asc" }, select: { name: true } }))?.name,
  }));
  if (!r.contactName || !r.contactEmail)
    throw new AppError("ADHESION_NO_CONTACT", "Indica prima il referente: la lettera lo nomina", 409);
  template ??= new TemplateEngine().compileFile<LetterView>(
    new URL("./templates/adhesion-letter.hbs", import.meta.url),
  );
  const body = template({
    intermediary: intermediary ?? "la Regione",
    name: r.name,
    ipaCode: r.ipaCode,
    fiscalCode: r.fiscalCode,
    pecEmail: r.pecEmail,
    contactName: r.contactName,
    contactEmail: r.contactEmail,
    today: italianDay(romeDayOf(now)),
  });
  const html = `<!doctype html><html lang="it"><head><meta charset="utf-8"><title>Lettera di adesione · ${r.ipaCode}</title><style>${CSS}</style></head><body>${body}</body></html>`;
  return { fileName: `lettera-adesione-${r.ipaCode}.pdf`, pdf: await deps.pdf.render(html) };
}
