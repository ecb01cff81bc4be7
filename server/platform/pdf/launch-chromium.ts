import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import puppeteer, { type Browser } from "puppeteer-core";

/**
 * Flags for the system Chromium on a machine with no network but loopback: without the last
 * ones Chromium keeps trying to reach its update, sync and field-trial services.
 */
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  // Print-only use: no extensions, no crash reporter, no audio.
  "--disable-extensions",
  "--disable-breakpad",
  "--mute-audio",
  // Containers often have a small /dev/shm; Chromium then falls back to /tmp instead of crashing.
  "--disable-dev-shm-usage",
];

export interface LaunchedChromium {
  browser: Browser;
  pid: number | null;
  /** Removes the profile directory; call once the process is gone. */
  cleanup(): Promise<void>;
}

/**
 * Starts one headless Chromium with a fresh profile in a temporary directory, so a crashed or
 * killed browser never leaves state (locks, caches) behind for the next one.
 */
export async function launchChromium(options: {
  executablePath: string;
  timeoutMs: number;
  protocolTimeoutMs: number;
}): Promise<LaunchedChromium> {
  const userDataDir = await mkdtemp(path.join(tmpdir(), "pontepa-chromium-"));
  try {
    const browser = await puppeteer.launch({
      executablePath: options.executablePath,
      headless: true,
      userDataDir,
      args: CHROMIUM_FLAGS,
      timeout: options.timeoutMs,
      protocolTimeout: options.protocolTimeoutMs,
      // The pool owns the browser's life; the process's signal handlers decide when to stop.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    return {
      browser,
      pid: browser.process()?.pid ?? null,
      cleanup: () => rm(userDataDir, { recursive: true, force: true }),
    };
  } catch (err) {
    await rm(userDataDir, { recursive: true, force: true });
    throw err;
  }
}
