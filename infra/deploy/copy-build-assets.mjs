// `npm run build` step 2: tsc emits only JavaScript, but the roles also read files beside their
// modules at run time (Handlebars views and PDF templates, the station's WSDL/XSD, the portal's
// CSS and scripts). Copy every non-TypeScript file of the production trees into dist/, keeping
// its path, and leave out what tsconfig.build.json leaves out (tests, test-only folders, docs).
import { cpSync, existsSync, statSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");
const trees = ["server", "web", "tenants"];

/** True for a file or folder the production image carries. */
function shipped(source) {
  const rel = path.relative(root, source).split(path.sep);
  if (rel.includes("test")) return false;
  if (statSync(source).isDirectory()) return true;
  const name = rel.at(-1);
  return !name.endsWith(".ts") && !name.endsWith(".md");
}

for (const tree of trees) {
  const from = path.join(root, tree);
  if (existsSync(from)) cpSync(from, path.join(root, "dist", tree), { recursive: true, filter: shipped });
}
