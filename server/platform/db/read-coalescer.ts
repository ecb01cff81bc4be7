import type { Call, Row } from "./fast-sql.ts";

/** A read waiting for its message: its RLS settings statement and its own statements. */
export interface QueuedRead {
  settings: string;
  calls: readonly Call[];
  resolve(rows: Row[][]): void;
  reject(err: unknown): void;
}

/**
 * Gathers the reads asked for in one turn of the event loop and hands them over together, so
 * they travel to PostgreSQL as one message on one connection instead of one each. On the
 * Nodo station every verify is such a read, and each message costs a socket write that wakes
 * a backend, and the backend a parse and an implicit transaction of its own: sharing them is
 * what cut the CPU per verify on both sides (docs/benchmarks.md). The wait is one turn of the
 * loop (setImmediate), not a timer: a read alone goes out at once. A message holds at most
 * `maxBatch` reads: its reads run one after the other in one backend, so larger batches save
 * a little more CPU but queue the reads behind each other. 16: back to back on the quiet 2-core
 * machine it cost nothing at concurrency 16 (p99 12-19 ms) and at 64, where a turn gathers a
 * dozen reads or more, it cut CPU per verify on both sides and the p99 against 4 (4 had done
 * best at 16 under other work's load; docs/benchmarks.md).
 */
export class ReadCoalescer {
  private queue: QueuedRead[] = [];

  constructor(
    private readonly sendBatch: (batch: QueuedRead[]) => Promise<void>,
    private readonly maxBatch = 16,
  ) {}

  add(settings: string, calls: readonly Call[]): Promise<Row[][]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ settings, calls, resolve, reject });
      if (this.queue.length === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const queued = this.queue;
    this.queue = [];
    for (let i = 0; i < queued.length; i += this.maxBatch) {
      const batch = queued.slice(i, i + this.maxBatch);
      this.sendBatch(batch).catch((err: unknown) => {
        for (const read of batch) read.reject(err);
      });
    }
  }
}
