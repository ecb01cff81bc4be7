// Handlebars for documents (payment notices, receipts) with Italian formatting helpers.
export { TemplateEngine, escapeHtml, type Template } from "./template-engine.ts";
export { italianHelpers } from "./italian-helpers.ts";
