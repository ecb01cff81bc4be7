import { spawn } from "node:child_process";
import { lstat, mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { testConfig } from "../../test/support.ts";
import { CHROMIUM_FLAGS } from "./launch-chromium.ts";
import { processAlive, profilePrefix, sweepOrphanedProfiles } from "./orphaned-chromium.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The pid of a process that has exited: an owner that died. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await new Promise((r) => child.once("exit", r));
  return child.pid!;
}

describe("orphaned Chromium profiles (an owner killed hard)", () => {
  const started: number[] = [];
  let root: string;
  afterAll(async () => {
    for (const pid of started) if (await processAlive(pid)) process.kill(-pid, "SIGKILL");
    await rm(root, { recursive: true, force: true });
  });

  it("kills the browser of a dead owner's profile and removes it; a live owner's profile is left alone", async () => {
    root = await mkdtemp(path.join(os.tmpdir(), "sweep-"));
    const orphan = path.join(root, `${profilePrefix(await deadPid())}abc123`);
    const live = path.join(root, `${profilePrefix()}def456`);
    const unrelated = path.join(root, "pontepa-chromium-Xy12ab");
    await Promise.all([orphan, live, unrelated].map((d) => mkdir(d)));

    // A browser left behind by that owner, in its own process group as puppeteer starts it.
    // (SingletonLock is a symlink to "host-pid", not a file: lstat, not access.)
    const browser = spawn(
      testConfig().CHROMIUM_PATH,
      [...CHROMIUM_FLAGS, `--user-data-dir=${orphan}`, "--remote-debugging-port=0", "about:blank"],
      { stdio: "ignore", detached: true },
    );
    started.push(browser.pid!);
    const ready = Date.now() + 20_000;
    while (
      Date.now() < ready &&
      !(await lstat(path.join(orphan, "SingletonLock")).then(
        () => true,
        () => false,
      ))
    )
      await sleep(100);
    expect(await processAlive(browser.pid!)).toBe(true);

    expect(await sweepOrphanedProfiles(root)).toEqual([orphan]);
    const gone = Date.now() + 10_000;
    while ((await processAlive(browser.pid!)) && Date.now() < gone) await sleep(100);
    expect(await processAlive(browser.pid!)).toBe(false);
    expect((await readdir(root)).sort()).toEqual([path.basename(live), path.basename(unrelated)].sort());
  });
});
