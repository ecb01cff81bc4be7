import { readFileSync } from "node:fs";
import Handlebars from "handlebars";
import { italianHelpers } from "./italian-helpers.ts";

type HelperDelegate = Handlebars.HelperDelegate;

/** A compiled template: view model in, HTML out. */
export type Template<T> = (view: T) => string;

/**
 * An isolated Handlebars environment for documents (notices, receipts). Isolated so that a
 * helper or partial registered by one feature can never change another's output, and so that
 * web/'s view engine and this one evolve independently.
 */
export class TemplateEngine {
  private readonly hbs: typeof Handlebars;
  private readonly cache = new Map<string, Template<unknown>>();

  constructor(helpers: Record<string, HelperDelegate> = {}) {
    this.hbs = Handlebars.create();
    for (const [name, fn] of Object.entries({ ...italianHelpers, ...helpers })) this.hbs.registerHelper(name, fn);
  }

  registerHelper(name: string, fn: HelperDelegate): void {
    this.hbs.registerHelper(name, fn);
  }

  /** Registers a partial from a file, read once (templates ship with the code). */
  registerPartialFile(name: string, file: string | URL): void {
    this.hbs.registerPartial(name, readFileSync(file, "utf8"));
  }

  /**
   * Compiles a template file once and caches it. Strict mode: a field missing from the view
   * model throws instead of rendering as blank, so view models must spell out nulls.
   */
  compileFile<T>(file: string | URL): Template<T> {
    const key = String(file);
    let template = this.cache.get(key);
    if (!template) {
      template = this.compile<unknown>(readFileSync(file, "utf8"));
      this.cache.set(key, template);
    }
    return template as Template<T>;
  }

  compile<T>(source: string): Template<T> {
    const compiled = this.hbs.compile<T>(source, { strict: true, preventIndent: true });
    return (view: T) => compiled(view);
  }
}

/** Escapes text for HTML, for the few places that build markup outside a template. */
export function escapeHtml(text: string): string {
  return Handlebars.escapeExpression(text);
}
