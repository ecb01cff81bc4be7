import type { Database } from "../../platform/db/database.ts";
import type { Statement } from "../../platform/db/fast-sql.ts";
import { uuid7 } from "../../platform/db/uuid7.ts";
import type { Logger } from "../../platform/observability/logger.ts";

/** One exchange with the Nodo, as the journal (giornale degli eventi) keeps it. */
export interface JournalEntry {
  tenantId: string | null;
  direction: "IN" | "OUT";
  operation: string;
  stationCode: string | null;
  nav: string | null;
  iuv: string | null;
  receiptId: string | null;
  outcome: string | null;
  faultCode: string | null;
  durationMs: number;
  requestId: string | null;
  requestXml: string | null;
  responseXml: string | null;
  createdAt: Date;
}

export interface JournalWriterOptions {
  /** Longest an entry waits before its batch is written (ms). */
  flushMs?: number;
  maxBatch?: number;
  /** Entries held in memory at most; beyond it new entries are dropped (counted and logged). */
  maxQueued?: number;
  /**
   * Characters of XML held in memory at most (about the bytes, for the ASCII the Nodo sends);
   * beyond it new entries are dropped, so a flood of large requests cannot exhaust the heap
   * while PostgreSQL is slow or down. The answer never waits for room.
   */
  maxQueuedChars?: number;
  /** Counts each dropped entry (the pontepa_nodo_journal_dropped_total metric). */
  dropped?: { inc(): void };
  /** Raw XML is cut to this many characters. */
  maxXmlChars?: number;
}

// The whole batch as one JSON document: one prepared statement whatever the batch size.
const INSERT_BATCH: Statement = {
  name: "nodo.journal_insert_batch.v1",
  text: `
    INSERT INTO nodo_messages (id, tenant_id, direction, operation, station_code, nav, iuv, receipt_id, outcome,
                               fault_code, duration_ms, request_id, request_xml, response_xml, created_at)
    SELECT id, tenant_id, direction::"MessageDirection", operation, station_code, nav, iuv, receipt_id, outcome,
           fault_code, duration_ms, request_id, request_xml, response_xml, created_at
    FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, tenant_id uuid, direction text, operation text, station_code text,
         nav text, iuv text, receipt_id text, outcome text, fault_code text, duration_ms int, request_id text,
         request_xml text, response_xml text, created_at timestamptz)`,
};

const row = (e: JournalEntry) => ({
  id: uuid7(),
  tenant_id: e.tenantId,
  direction: e.direction,
  operation: e.operation,
  station_code: e.stationCode,
  nav: e.nav,
  iuv: e.iuv,
  receipt_id: e.receiptId,
  outcome: e.outcome,
  fault_code: e.faultCode,
  duration_ms: e.durationMs,
  request_id: e.requestId,
  request_xml: e.requestXml,
  response_xml: e.responseXml,
  created_at: e.createdAt.toISOString(),
});

// PostgreSQL text cannot hold U+0000: one such request would fail its whole batch, so it is
// stored as U+FFFD (the raw XML is evidence of what arrived, not something to re-parse).
const cut = (xml: string | null, max: number) => {
  const kept = xml && xml.length > max ? xml.slice(0, max) : xml;
  return kept?.includes("\u0000") ? kept.replaceAll("\u0000", "\uFFFD") : kept;
};

const ROW_OVERHEAD_CHARS = 256;
const sizeOf = (e: JournalEntry) => ROW_OVERHEAD_CHARS + (e.requestXml?.length ?? 0) + (e.responseXml?.length ?? 0);

/**
 * Writes journal entries off the answer's path: `write` only queues, and a timer flushes the
 * queue every few milliseconds as one multi-row INSERT. The Nodo's answer never waits for the
 * journal (see docs/decisions/0003-soap-station.md for the measured cost). Entries are written
 * in platform scope because an entry may have no tenant (a request that could not be routed).
 */
export class JournalWriter {
  private queue: JournalEntry[] = [];
  /** Entries and characters not yet stored: queued, or in a batch waiting on PostgreSQL. */
  private pendingEntries = 0;
  private pendingChars = 0;
  private droppedSinceLog = 0;
  private lastDropLog = 0;
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> = Promise.resolve();
  private readonly flushMs: number;
  private readonly maxBatch: number;
  private readonly maxQueued: number;
  private readonly maxXmlChars: number;
  private readonly maxQueuedChars: number;
  private readonly dropped: { inc(): void } | undefined;

  constructor(
    private readonly db: Database,
    private readonly logger: Logger,
    options: JournalWriterOptions = {},
  ) {
    this.flushMs = options.flushMs ?? 20;
    this.maxBatch = options.maxBatch ?? 200;
    this.maxQueued = options.maxQueued ?? 20_000;
    this.maxXmlChars = options.maxXmlChars ?? 1_000_000;
    this.maxQueuedChars = options.maxQueuedChars ?? 64_000_000;
    this.dropped = options.dropped;
  }

  /** Queues an entry; when the queue is full (entries or characters) the entry is dropped, never awaited. */
  write(entry: JournalEntry): void {
    const queued = {
      ...entry,
      requestXml: cut(entry.requestXml, this.maxXmlChars),
      responseXml: cut(entry.responseXml, this.maxXmlChars),
    };
    const size = sizeOf(queued);
    if (this.pendingEntries >= this.maxQueued || this.pendingChars + size > this.maxQueuedChars) return this.drop();
    this.pendingEntries++;
    this.pendingChars += size;
    this.queue.push(queued);
    if (this.queue.length >= this.maxBatch) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.flushMs);
  }

  /** Writes everything queued so far; resolves when it is stored (or failed and was logged). */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const batches: JournalEntry[][] = [];
    while (this.queue.length) batches.push(this.queue.splice(0, this.maxBatch));
    // Batches are written one after the other so the journal keeps arrival order per process.
    this.inFlight = batches.reduce((prev, batch) => prev.then(() => this.store(batch)), this.inFlight);
    return this.inFlight;
  }

  private async store(batch: JournalEntry[]): Promise<void> {
    try {
      // On the station's pg path (Prisma's createMany cost more CPU than the answers themselves).
      await this.db.sql.withPlatformScope(
        "nodo: message journal",
        (tx) => tx.query(INSERT_BATCH, [batch.map(row)], { commit: true }),
        { timeoutMs: 10_000 },
      );
    } catch (err) {
      this.logger.error({ err, entries: batch.length }, "nodo journal write failed");
    } finally {
      // Room is given back once the batch is stored (or given up): while PostgreSQL is slow or
      // down, batches waiting for it count against the bound too.
      this.pendingEntries -= batch.length;
      this.pendingChars -= batch.reduce((sum, e) => sum + sizeOf(e), 0);
    }
  }

  private drop(): void {
    this.dropped?.inc();
    this.droppedSinceLog++;
    // One line a second at most: a flood must not turn into a flood of log lines.
    const now = Date.now();
    if (now - this.lastDropLog >= 1_000) {
      this.logger.error(
        { dropped: this.droppedSinceLog, pending: this.pendingEntries, pendingChars: this.pendingChars },
        "nodo journal queue full: entries dropped",
      );
      this.droppedSinceLog = 0;
      this.lastDropLog = now;
    }
  }

  /** Flushes and stops; called when the soap role stops. */
  async close(): Promise<void> {
    await this.flush();
  }
}
