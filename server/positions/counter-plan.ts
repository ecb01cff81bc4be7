import { formatCentsIt } from "../pagopa/index.ts";

interface PlanOption {
  amountCents: number;
  dueDate: Date;
}

/** A problem with how a debt is split into a single payment and installments. */
export interface PlanIssue {
  path: Array<string | number>;
  message: string;
}

/**
 * The rules a counter debt's payment plan follows, beyond each option's own shape: a single
 * payment or at least two installments, installments due in order, no due date already past
 * (a notice that is overdue the day it is printed), and installments adding up to the single
 * amount when both are offered (the citizen pays one or the other). Options whose amount or
 * date could not be read (NaN) are left to their own field's message.
 */
export function counterPlanIssues(
  plan: { single?: PlanOption; installments?: PlanOption[] },
  now: Date = new Date(),
): PlanIssue[] {
  const issues: PlanIssue[] = [];
  const list = plan.installments ?? [];
  const readable = (o: PlanOption) => Number.isFinite(o.amountCents) && !Number.isNaN(o.dueDate.getTime());
  if (!plan.single && list.length === 0)
    issues.push({ path: ["single"], message: "indica l'importo in un'unica soluzione o almeno due rate" });
  if (list.length === 1) issues.push({ path: ["installments"], message: "le rate sono almeno due" });
  const due = list.map((o) => o.dueDate.getTime());
  if (due.some((d, i) => i > 0 && d <= due[i - 1]!))
    issues.push({ path: ["installments"], message: "le scadenze delle rate devono essere in ordine crescente" });
  if (plan.single && !Number.isNaN(plan.single.dueDate.getTime()) && plan.single.dueDate < now)
    issues.push({ path: ["single", "dueDate"], message: "la scadenza è già passata" });
  list.forEach((o, i) => {
    if (!Number.isNaN(o.dueDate.getTime()) && o.dueDate < now)
      issues.push({ path: ["installments", i, "dueDate"], message: "la scadenza è già passata" });
  });
  if (plan.single && list.length >= 2 && readable(plan.single) && list.every(readable)) {
    const total = list.reduce((s, o) => s + o.amountCents, 0);
    if (total !== plan.single.amountCents) {
      issues.push({
        path: ["installments"],
        message: `la somma delle rate (${formatCentsIt(total)} €) è diversa dall'importo in unica soluzione (${formatCentsIt(plan.single.amountCents)} €)`,
      });
    }
  }
  return issues;
}
