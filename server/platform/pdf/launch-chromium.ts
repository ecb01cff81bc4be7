import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import puppeteer, { type Browser } from "puppeteer-core";
import { profilePrefix, sweepOrphanedProfiles } from "./orphaned-chromium.ts";

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
 *
 * A Node process killed hard (SIGKILL, OOM) runs no cleanup, and puppeteer starts Chromium in its
 * own process group, so killing the worker's group does not reach it either. Two things keep it
 * from outliving its owner: the DevTools connection is a pipe (fds 3 and 4) instead of a
 * WebSocket, and Chromium shuts itself down when the kernel closes the pipe's other end on the
 * owner's death; and each launch first sweeps the profiles of owners that are gone (see
 * orphaned-chromium.ts), killing a browser still holding one and removing the directory.
 */
export async function launchChromium(options: {
  executablePath: string;
  timeoutMs: number;
  protocolTimeoutMs: number;
}): Promise<LaunchedChromium> {
  await sweepOrphanedProfiles(tmpdir());
  const userDataDir = await mkdtemp(path.join(tmpdir(), profilePrefix()));
  try {
    const browser = await puppeteer.launch({
      executablePath: options.executablePath,
      headless: true,
      userDataDir,
      pipe: true,
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
      // Retried: the browser's helpers can still be writing to the profile for a moment after it exits.
      cleanup: () => rm(userDataDir, { recursive: true, force: true, maxRetries: 3, retryDelay: 100 }),
    };
  } catch (err) {
    await rm(userDataDir, { recursive: true, force: true });
    throw err;
  }
}
