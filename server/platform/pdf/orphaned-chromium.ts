import { readdir, readFile, readlink, rm } from "node:fs/promises";
import path from "node:path";

/**
 * Profile directories are named `pontepa-chromium-<owner pid>-XXXXXX`: the Node process that
 * launched the browser is part of the name, so the next launch on the machine can tell which
 * profiles belong to a process that is gone (a worker SIGKILLed, a container's main process
 * OOM-killed) and clean up after it.
 */
export const PROFILE_PREFIX = "pontepa-chromium-";

export function profilePrefix(ownerPid = process.pid): string {
  return `${PROFILE_PREFIX}${ownerPid}-`;
}

/** Alive and not a zombie: an exited Chromium whose parent never reaped it is still listed. */
export async function processAlive(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0];
    return state !== "Z" && state !== "X";
  } catch {
    return false;
  }
}

/** The browser holding a profile, from Chromium's own `SingletonLock` symlink ("host-pid"). */
async function lockHolder(dir: string): Promise<number | null> {
  try {
    const target = await readlink(path.join(dir, "SingletonLock"));
    const pid = Number(target.slice(target.lastIndexOf("-") + 1));
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** True when the process's command line names this profile: a reused pid is never killed. */
async function usesProfile(pid: number, dir: string): Promise<boolean> {
  try {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8");
    return cmdline.split("\0").includes(`--user-data-dir=${dir}`);
  } catch {
    return false;
  }
}

/**
 * Kills the Chromium of every profile whose owner process is dead and removes the profile.
 * Chromium is launched with its DevTools pipe, so it normally exits by itself when its owner
 * dies; this is the second line for what the pipe cannot cover (a browser stuck in shutdown, one
 * started by an older release over a WebSocket) and for the profile directories, which nothing
 * else would ever remove. Returns the profiles removed. Best effort: never throws.
 */
export async function sweepOrphanedProfiles(tmp: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(tmp);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const owner = /^pontepa-chromium-(\d+)-/.exec(name);
    if (!owner || (await processAlive(Number(owner[1])))) continue;
    const dir = path.join(tmp, name);
    const browser = await lockHolder(dir);
    if (browser !== null && (await processAlive(browser)) && (await usesProfile(browser, dir))) {
      // Launched detached, the browser leads its own process group: renderers go with it.
      for (const target of [-browser, browser]) {
        try {
          process.kill(target, "SIGKILL");
          break;
        } catch {
          // Not a group leader (or already gone): try the process itself.
        }
      }
    }
    await rm(dir, { recursive: true, force: true, maxRetries: 3, retryDelay: 100 }).catch(() => undefined);
    removed.push(dir);
  }
  return removed;
}
