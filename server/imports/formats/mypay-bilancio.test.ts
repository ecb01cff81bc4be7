import { describe, expect, test } from "vitest";
import { readBilancio } from "./mypay-bilancio.ts";

describe("MyPay bilancio column", () => {
  const xml = (body: string) => `<bilancio>${body}</bilancio>`;
  const chapter = (code: string, office: string, inner: string) =>
    `<capitolo><codCapitolo>${code}</codCapitolo><codUfficio>${office}</codUfficio>${inner}</capitolo>`;
  const acc = (code: string, amount: string) =>
    `<accertamento><codAccertamento>${code}</codAccertamento><importo>${amount}</importo></accertamento>`;

  test("one line per accertamento, codes kept as text (leading zeros)", () => {
    const lines = readBilancio(
      xml(
        chapter("0012", "U1", acc("2027/1", "60.00") + acc("2027/2", "15.50")) +
          chapter("1300", "", acc("A9", "24.50")),
      ),
      10_000,
    );
    expect(lines).toEqual([
      { budgetChapter: "0012", office: "U1", assessment: "2027/1", amountCents: 6_000 },
      { budgetChapter: "0012", office: "U1", assessment: "2027/2", amountCents: 1_550 },
      { budgetChapter: "1300", office: undefined, assessment: "A9", amountCents: 2_450 },
    ]);
  });

  test("lines that do not add up to the amount are refused, with both sums", () => {
    expect(() => readBilancio(xml(chapter("1", "", acc("A", "10.00"))), 1_500)).toThrow(/10.00.*15.00/);
  });

  test("no chapter or broken XML is refused", () => {
    expect(() => readBilancio("<bilancio></bilancio>", 100)).toThrow(/nessun capitolo/);
    expect(() => readBilancio(xml(chapter("", "", acc("A", "1.00"))), 100)).toThrow(/codCapitolo/);
  });
});
