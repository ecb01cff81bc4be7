import type { PoolMemory } from "../../server/platform/pdf/index.ts";

export interface PeakMemory {
  nodeRssMiB: number;
  chromiumRssMiB: number;
  /** Proportional set size: shared pages counted once across Chromium's processes. */
  chromiumPssMiB: number;
  /** Node RSS + Chromium PSS, sampled together. */
  totalMiB: number;
}

const mib = (bytes: number) => Math.round(bytes / 2 ** 20);

/**
 * Samples memory every second and keeps the peaks (of each figure, and of Node + Chromium PSS).
 * Not more often: reading the PSS of Chromium's whole process tree costs about 30 ms of this
 * process's CPU, which would otherwise be taken from the rendering being measured.
 */
export class MemorySampler {
  private peak = { node: 0, rss: 0, pss: 0, total: 0 };
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly read: () => PoolMemory) {
    this.sample();
    this.timer = setInterval(() => this.sample(), 1_000);
  }

  private sample() {
    const m = this.read();
    this.peak.node = Math.max(this.peak.node, m.nodeRssBytes);
    this.peak.rss = Math.max(this.peak.rss, m.chromiumRssBytes);
    this.peak.pss = Math.max(this.peak.pss, m.chromiumPssBytes);
    this.peak.total = Math.max(this.peak.total, m.nodeRssBytes + m.chromiumPssBytes);
  }

  stop(): PeakMemory {
    clearInterval(this.timer);
    this.sample();
    const { node, rss, pss, total } = this.peak;
    return { nodeRssMiB: mib(node), chromiumRssMiB: mib(rss), chromiumPssMiB: mib(pss), totalMiB: mib(total) };
  }
}
