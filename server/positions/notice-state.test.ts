import { describe, expect, it } from "vitest";
import { noticeState } from "./notice-state.ts";

const now = new Date("2026-05-10T10:00:00Z");
const later = new Date(now.getTime() + 60_000);
const earlier = new Date(now.getTime() - 60_000);

type Opt = {
  id: string;
  kind: "SINGLE" | "INSTALLMENT";
  status: "UNPAID" | "PAID" | "EXPIRED" | "CANCELLED" | "REPORTED";
  paymentToken: string | null;
  lockedUntil: Date | null;
};
const opt = (over: Partial<Opt> = {}): Opt => ({
  id: "o1",
  kind: "SINGLE",
  status: "UNPAID",
  paymentToken: null,
  lockedUntil: null,
  ...over,
});

function notice(
  over: Partial<Opt & { expiresAt: Date | null }> = {},
  position: Record<string, unknown> = {},
  siblings: Opt[] = [],
) {
  const self = opt(over);
  return {
    ...self,
    expiresAt: over.expiresAt ?? null,
    position: { status: "VALID", validFrom: null, options: [self, ...siblings], ...position } as never,
  };
}

describe("noticeState", () => {
  it("is payable when valid, unpaid and unlocked", () => {
    expect(noticeState(notice(), now)).toBe("PAYABLE");
  });

  it("hides drafts and positions not yet valid", () => {
    expect(noticeState(notice({}, { status: "DRAFT" }), now)).toBe("UNKNOWN");
    expect(noticeState(notice({}, { validFrom: later }), now)).toBe("UNKNOWN");
    expect(noticeState(notice({}, { validFrom: earlier }), now)).toBe("PAYABLE");
  });

  it("reports paid, cancelled and expired", () => {
    expect(noticeState(notice({ status: "PAID" }), now)).toBe("PAID");
    expect(noticeState(notice({}, { status: "PAID" }), now)).toBe("PAID");
    expect(noticeState(notice({ status: "CANCELLED" }), now)).toBe("CANCELLED");
    expect(noticeState(notice({}, { status: "CANCELLED" }), now)).toBe("CANCELLED");
    expect(noticeState(notice({ status: "EXPIRED" }), now)).toBe("EXPIRED");
    expect(noticeState(notice({ expiresAt: earlier }), now)).toBe("EXPIRED");
    expect(noticeState(notice({ expiresAt: later }), now)).toBe("PAYABLE");
  });

  it("treats the single option of a partially paid position as paid, not its other installments", () => {
    expect(noticeState(notice({}, { status: "PARTIALLY_PAID" }), now)).toBe("PAID");
    expect(noticeState(notice({ kind: "INSTALLMENT" }, { status: "PARTIALLY_PAID" }), now)).toBe("PAYABLE");
  });

  it("is in progress under another token's live lock, payable again for the same token or after expiry", () => {
    expect(noticeState(notice({ paymentToken: "A", lockedUntil: later }), now, "B")).toBe("IN_PROGRESS");
    expect(noticeState(notice({ paymentToken: "A", lockedUntil: later }), now)).toBe("IN_PROGRESS");
    expect(noticeState(notice({ paymentToken: "A", lockedUntil: later }), now, "A")).toBe("PAYABLE");
    expect(noticeState(notice({ paymentToken: "A", lockedUntil: earlier }), now, "B")).toBe("PAYABLE");
  });

  it("blocks the single option while an installment is being paid, and vice versa", () => {
    const lockedInstallment = opt({ id: "i1", kind: "INSTALLMENT", paymentToken: "X", lockedUntil: later });
    expect(noticeState(notice({}, {}, [lockedInstallment]), now, "B")).toBe("IN_PROGRESS");
    const lockedSingle = opt({ id: "s", kind: "SINGLE", paymentToken: "X", lockedUntil: later });
    expect(noticeState(notice({ kind: "INSTALLMENT" }, {}, [lockedSingle]), now, "B")).toBe("IN_PROGRESS");
    // Two installments can be paid side by side.
    expect(noticeState(notice({ kind: "INSTALLMENT" }, {}, [lockedInstallment]), now, "B")).toBe("PAYABLE");
  });
});
