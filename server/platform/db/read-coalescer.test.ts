import { describe, expect, it } from "vitest";
import type { Call, Statement } from "./fast-sql.ts";
import { ReadCoalescer, type QueuedRead } from "./read-coalescer.ts";

const statement: Statement = { name: "test.read", text: "SELECT 1" };
const call = (n: number): Call => [statement, [n]];

describe("ReadCoalescer", () => {
  it("hands over the reads of one turn together, at most maxBatch per message, in order", async () => {
    const batches: number[][] = [];
    const coalescer = new ReadCoalescer(async (batch: QueuedRead[]) => {
      batches.push(batch.map((r) => r.calls[0]![1][0] as number));
      for (const read of batch) read.resolve([[{ n: read.calls[0]![1][0] }]]);
    }, 4);
    const first = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => coalescer.add(`s${n}`, [call(n)])));
    expect(batches).toEqual([
      [1, 2, 3, 4],
      [5, 6],
    ]);
    expect(first.map(([rows]) => rows![0]!.n)).toEqual([1, 2, 3, 4, 5, 6]);
    // A read asked for in a later turn goes in a message of its own, without waiting for others.
    await coalescer.add("s7", [call(7)]);
    expect(batches.at(-1)).toEqual([7]);
  });

  it("rejects every read of a batch whose sending fails", async () => {
    const coalescer = new ReadCoalescer(async () => {
      throw new Error("connection lost");
    });
    const outcomes = await Promise.allSettled([coalescer.add("a", [call(1)]), coalescer.add("b", [call(2)])]);
    expect(outcomes.map((o) => o.status)).toEqual(["rejected", "rejected"]);
  });
});
