import { readFileSync } from "node:fs";
import Handlebars from "handlebars";
import { TemplateEngine, type Template } from "../platform/templates/index.ts";
import type { Label } from "./notice-labels.ts";
import type { NoticeView } from "./notice-view.ts";

const here = (file: string) => new URL(`./templates/${file}`, import.meta.url);

/** Italian text, then the second language in grey when the council prints bilingual notices. */
function label(value: Label | null | undefined): Handlebars.SafeString {
  if (!value) return new Handlebars.SafeString("");
  const it = Handlebars.escapeExpression(value.it);
  // "Euro / Euro" says nothing twice: a word both languages share is printed once.
  const second =
    value.second && value.second !== value.it
      ? `<span class="l2" lang="de">${Handlebars.escapeExpression(value.second)}</span>`
      : "";
  return new Handlebars.SafeString(`${it}${second}`);
}

let compiled: { notice: Template<NoticeView>; css: string } | null = null;

function templates() {
  if (!compiled) {
    const engine = new TemplateEngine({ label });
    compiled = {
      notice: engine.compileFile<NoticeView>(here("notice.hbs")),
      css: readFileSync(here("notice.css"), "utf8"),
    };
  }
  return compiled;
}

/**
 * One HTML document holding one or many notices, one after the other (a batch prints many
 * notices per Chromium call, which is several times faster than one call per notice). The
 * stylesheet is inlined once; the document references nothing outside itself.
 */
export function renderNoticeDocument(views: NoticeView[]): string {
  const { notice, css } = templates();
  const body = views.map((view) => notice(view)).join("\n");
  return `<!doctype html><html lang="it"><head><meta charset="utf-8"><title>Avviso di pagamento pagoPA</title><style>${css}</style></head><body>${body}</body></html>`;
}
