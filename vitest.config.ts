import { defineConfig } from "vitest/config";

// Two tiers run here: unit tests (pure, fast) and integration tests against the real
// PostgreSQL and Redis (a throwaway database per run, created by the global setup).
// End-to-end tests run with Playwright (e2e/), not with vitest.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["server/**/*.test.ts", "web/**/*.test.ts", "tenants/**/*.test.ts", "infra/**/*.test.ts"],
          exclude: ["**/*.int.test.ts", "node_modules/**"],
        },
      },
      {
        test: {
          name: "integration",
          include: [
            "server/**/*.int.test.ts",
            "web/**/*.int.test.ts",
            "infra/**/*.int.test.ts",
            "tenants/**/*.int.test.ts",
          ],
          globalSetup: ["server/test/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Integration files share one database; run them one file at a time.
          fileParallelism: false,
        },
      },
    ],
  },
});
