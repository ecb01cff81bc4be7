import { readdirSync, readFileSync } from "node:fs";

const PAGE_SIZE = 4096;

function parentOf(pid: number): number | null {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may contain spaces and parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[1]);
  } catch {
    return null;
  }
}

function rssBytes(pid: number): number {
  try {
    // statm: size resident shared ... in pages.
    const resident = Number(readFileSync(`/proc/${pid}/statm`, "utf8").split(" ")[1]);
    return Number.isFinite(resident) ? resident * PAGE_SIZE : 0;
  } catch {
    return 0;
  }
}

/** The process and all its descendants (Chromium forks renderer, GPU and utility processes). */
export function processTree(rootPid: number): number[] {
  let pids: number[];
  try {
    pids = readdirSync("/proc")
      .filter((name) => /^\d+$/.test(name))
      .map(Number);
  } catch {
    return [rootPid];
  }
  const children = new Map<number, number[]>();
  for (const pid of pids) {
    const parent = parentOf(pid);
    if (parent === null) continue;
    const list = children.get(parent) ?? [];
    list.push(pid);
    children.set(parent, list);
  }
  const tree: number[] = [];
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop()!;
    tree.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return tree;
}

function pssBytes(pid: number): number {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
    const kb = /^Pss:\s+(\d+) kB/m.exec(rollup)?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}

export interface TreeMemory {
  /** Sum of resident set sizes: counts shared pages once per process (an upper bound). */
  rssBytes: number;
  /** Sum of proportional set sizes: shared pages split between their users (the real cost). */
  pssBytes: number;
}

/**
 * Memory of a process tree (Linux /proc; zeros elsewhere or when the tree is gone). Chromium
 * maps the same libraries in every process, so RSS summed over its tree overstates what it
 * uses; PSS is reported beside it.
 */
export function treeMemory(rootPid: number | null | undefined): TreeMemory {
  if (!rootPid) return { rssBytes: 0, pssBytes: 0 };
  let rss = 0;
  let pss = 0;
  for (const pid of processTree(rootPid)) {
    rss += rssBytes(pid);
    pss += pssBytes(pid);
  }
  return { rssBytes: rss, pssBytes: pss };
}
