// Import boundaries (docs/architecture.md, "Boundaries"), checked by `npm run lint` and so by
// `npm test`. Each boundary is its own rule (`boundaries/<name>`), so each has its own files,
// its own exceptions and its own allow-list of files still to be fixed. An allow-list only ever
// shrinks: when a file on it is fixed, delete its line; never add one to silence a new finding.
// server/test/import-boundaries.test.ts plants a violation of each rule and checks it is reported.
import importX, { createNodeResolver } from "eslint-plugin-import-x";

const restrictedPaths = importX.rules["no-restricted-paths"];
const root = import.meta.dirname;

/** Production code: what `npm run build` compiles (tsconfig.build.json). */
const PRODUCTION = ["server/**/*.ts", "web/**/*.ts", "tenants/**/*.ts"];
const NOT_PRODUCTION = ["**/*.test.ts", "server/test/**", "server/generated/**"];

// ---- Allow-lists of files still to be fixed (issue 11). Empty them; do not add to them. ----

/** web/ files that still call the Prisma client; the web-bo and web-cit work moves each call into a use case. */
/** @type {string[]} */
const PENDING_WEB_PRISMA = [];

/** server/ files that still import web/ (PDF sending moves to server/platform/http/). */
const PENDING_SERVER_WEB = [];

/** server/ files that still import tenants/ (emptied by issue 11 item 2; keep it empty). */
const PENDING_SERVER_TENANTS = [];

/**
 * Domain files that still import nodo/: the citizen checkout module builds the outbound Checkout
 * client itself (it should receive it through its deps, as the station receives its ports).
 */
/** @type {string[]} */
const PENDING_DOMAIN_NODO = [];

// ---- The boundaries. ----

/** Server modules that are adapters or wiring, not domain: they may speak HTTP and the Nodo's protocol. */
const NOT_DOMAIN = [
  "server/*.ts", // main.ts, app.ts and the other composition roots
  "server/api/**",
  "server/config/**",
  // The helpdesk is a cross-council read model for staff: it composes positions, receipts and
  // the Nodo journal (nodo/journal's reader) and owns no domain rule.
  "server/helpdesk/**",
  "server/nodo/**",
  "server/platform/**",
  "server/roles/**",
];

const zones = (from, message) => ({ zones: [{ target: "**", from, message }], basePath: root });

const prismaInWeb = [
  {
    selector: "ImportDeclaration[importKind='value'][source.value=/^@prisma\\u002Fclient|generated\\u002Fprisma/]",
    message:
      "web/ does not use the Prisma client: call a use case of the module that owns the data (types only: `import type`).",
  },
  {
    selector: "MemberExpression[property.name=/^(client|withTenant|withPlatformScope|sql)$/][object.name='db']",
    message: "web/ does not query the database: call a use case of the module that owns the data.",
  },
  {
    selector:
      "MemberExpression[property.name=/^(client|withTenant|withPlatformScope|sql)$/][object.property.name='db']",
    message: "web/ does not query the database: call a use case of the module that owns the data.",
  },
];

export default [
  {
    files: PRODUCTION,
    plugins: {
      boundaries: {
        rules: {
          "no-dev-code": restrictedPaths,
          "server-not-web": restrictedPaths,
          "server-not-tenants": restrictedPaths,
          "tenants-not-web-or-nodo": restrictedPaths,
          "domain-not-adapters": restrictedPaths,
        },
      },
    },
    settings: { "import-x/resolver-next": [createNodeResolver()] },
  },
  {
    // The image carries no dev tools, simulators, test harnesses or tests.
    files: PRODUCTION,
    ignores: NOT_PRODUCTION,
    rules: {
      "boundaries/no-dev-code": [
        "error",
        zones(
          ["infra/**", "e2e/**", "bench/**", "server/test/**", "**/*.test.ts"],
          "Production code does not import infra/, e2e/, bench/, test harnesses (server/test/) or tests.",
        ),
      ],
    },
  },
  {
    // Arrows run web → server. server/app.ts is the composition root that mounts the web routers.
    files: ["server/**/*.ts"],
    ignores: [...NOT_PRODUCTION, "server/app.ts", ...PENDING_SERVER_WEB],
    rules: {
      "boundaries/server-not-web": [
        "error",
        zones(["web/**"], "server/ does not import web/ (web → server, never back)."),
      ],
    },
  },
  {
    // tenants/ (packs, plug-ins) sits on top of server/; only main.ts wires plug-ins into Deps.
    files: ["server/**/*.ts"],
    ignores: [...NOT_PRODUCTION, "server/main.ts", ...PENDING_SERVER_TENANTS],
    rules: {
      "boundaries/server-not-tenants": [
        "error",
        zones(
          ["tenants/**"],
          "server/ does not import tenants/: plug-ins and packs come in through Deps (wired in server/main.ts).",
        ),
      ],
    },
  },
  {
    files: ["tenants/**/*.ts"],
    ignores: NOT_PRODUCTION,
    rules: {
      "boundaries/tenants-not-web-or-nodo": [
        "error",
        zones(
          ["web/**", "server/nodo/**"],
          "tenants/ uses the domain's public modules, never web/ or the Nodo protocol.",
        ),
      ],
    },
  },
  {
    files: ["server/**/*.ts"],
    ignores: [...NOT_PRODUCTION, ...NOT_DOMAIN, ...PENDING_DOMAIN_NODO],
    rules: {
      "boundaries/domain-not-adapters": [
        "error",
        zones(
          ["server/nodo/**", "web/**"],
          "Domain modules never import nodo/ or web/: they receive what they need through ports and Deps.",
        ),
      ],
      "no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "express",
              message: "Domain modules never import Express: HTTP lives in api/, web/ and platform/http/.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["web/**/*.ts"],
    ignores: NOT_PRODUCTION,
    rules: { "no-restricted-syntax": ["error", ...prismaInWeb] },
  },
  // ESLint refuses an empty `files`: the exception exists only while the allow-list has entries.
  ...(PENDING_WEB_PRISMA.length ? [{ files: PENDING_WEB_PRISMA, rules: { "no-restricted-syntax": "off" } }] : []),
];
