import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";
import boundaries from "./eslint.boundaries.js";

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", ".data/", "server/generated/", "**/*.d.ts", "web/**/assets/vendor/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "no-console": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  {
    // CLIs, scripts, benchmarks and simulators talk to a human on the terminal.
    files: ["infra/**", "bench/**", "prisma/seed.ts", "**/cli/**", "**/*.cli.ts"],
    rules: { "no-console": "off" },
  },
  {
    files: ["web/**/assets/**/*.js"],
    languageOptions: { globals: { ...globals.browser } },
  },
  ...boundaries,
);
