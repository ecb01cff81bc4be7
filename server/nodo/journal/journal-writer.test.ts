import { describe, expect, it, vi } from "vitest";
import type { Database } from "../../platform/db/database.ts";
import type { Logger } from "../../platform/observability/logger.ts";
import { JournalWriter, type JournalEntry } from "./journal-writer.ts";

const entry = (xmlChars: number): JournalEntry => ({
  tenantId: null,
  direction: "IN",
  operation: "paVerifyPaymentNotice",
  stationCode: null,
  nav: null,
  iuv: null,
  receiptId: null,
  outcome: "OK",
  faultCode: null,
  durationMs: 1,
  requestId: "r",
  requestXml: "x".repeat(xmlChars),
  responseXml: null,
  createdAt: new Date(),
});

// PostgreSQL that hangs until the test lets it go: what a slow or unreachable database looks like.
function stuckDatabase() {
  const release: Array<() => void> = [];
  const db = {
    sql: { withPlatformScope: () => new Promise<void>((resolve) => release.push(resolve)) },
  } as unknown as Database;
  return { db, releaseAll: () => release.splice(0).forEach((r) => r()) };
}

describe("JournalWriter", () => {
  it("bounds what it holds by characters, counting and logging what it drops, without waiting", async () => {
    const { db, releaseAll } = stuckDatabase();
    const logger = { error: vi.fn() } as unknown as Logger;
    const dropped = { inc: vi.fn() };
    const journal = new JournalWriter(db, logger, { flushMs: 1, maxBatch: 2, maxQueuedChars: 10_000, dropped });
    for (let i = 0; i < 10; i++) expect(journal.write(entry(2_000))).toBeUndefined();
    // Four entries of about 2,256 characters fit in 10,000; the other six are dropped.
    expect(dropped.inc).toHaveBeenCalledTimes(6);
    expect(logger.error).toHaveBeenCalledTimes(1);
    expect(vi.mocked(logger.error).mock.calls[0]![1]).toMatch(/queue full/);

    // Batches handed to a database that does not answer still count against the bound.
    await new Promise((r) => setTimeout(r, 20));
    journal.write(entry(2_000));
    expect(dropped.inc).toHaveBeenCalledTimes(7);

    // Once they are stored, there is room again.
    releaseAll();
    await new Promise((r) => setTimeout(r, 20));
    journal.write(entry(2_000));
    expect(dropped.inc).toHaveBeenCalledTimes(7);
    releaseAll();
    const closing = journal.close();
    releaseAll();
    await new Promise((r) => setTimeout(r, 5));
    releaseAll();
    await closing;
  });
});
