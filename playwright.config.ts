import { defineConfig, devices } from "@playwright/test";
import { E2E } from "./e2e/ports.ts";

// Real Chromium from Debian (no browser download), against the whole platform started by
// e2e/platform.ts with the Nodo simulator and the dev identity providers.
const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};

export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  outputDir: ".tmp/e2e-results",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 120_000,
  reporter: [["list"]],
  use: {
    baseURL: E2E.baseUrl,
    locale: "it-IT",
    timezoneId: "Europe/Rome",
    trace: "retain-on-failure",
    launchOptions: chromium,
  },
  projects: [
    {
      name: "chromium",
      use: { ...devices["Desktop Chrome"], viewport: { width: 1280, height: 900 }, launchOptions: chromium },
    },
  ],
  webServer: {
    command: "node --import tsx e2e/platform.ts",
    url: `${E2E.baseUrl}/readyz`,
    timeout: 240_000,
    reuseExistingServer: false,
    // Without it Playwright SIGKILLs the platform's process group at the end, and the server's
    // PDF Chromium (puppeteer starts it in its own process group) outlives the run. SIGTERM lets
    // e2e/platform.ts stop its children, which close their pools.
    gracefulShutdown: { signal: "SIGTERM", timeout: 30_000 },
    stdout: "pipe",
    stderr: "pipe",
  },
});
