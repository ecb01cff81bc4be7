import type { NodoExchange } from "../../pagopa/index.ts";

/** One step of a pre-production run as the report shows it (stored as JSON in the run's row). */
export interface RunStep {
  key: string;
  /** Italian, as the report prints it. */
  title: string;
  /** What must happen for the step to pass, in Italian. */
  expectation: string;
  ok: boolean;
  /** What happened, in Italian (the fault code, the receipt id, the position's new state). */
  outcome: string;
  nav?: string;
  exchanges: NodoExchange[];
  /** ISO instant the step ended. */
  at: string;
}

/** A step's body: resolves with what happened, or throws StepFailed when it did not go as expected. */
export type StepBody = () => Promise<{ outcome: string; nav?: string; exchanges?: NodoExchange[] }>;

export class StepFailed extends Error {
  constructor(
    message: string,
    readonly evidence: { nav?: string; exchanges?: NodoExchange[] } = {},
  ) {
    super(message);
  }
}

/** Runs one step; any error becomes a failed step with its message, so one failure never hides the others. */
export async function runStep(key: string, title: string, expectation: string, body: StepBody): Promise<RunStep> {
  try {
    const r = await body();
    return {
      key,
      title,
      expectation,
      ok: true,
      outcome: r.outcome,
      nav: r.nav,
      exchanges: r.exchanges ?? [],
      at: new Date().toISOString(),
    };
  } catch (err) {
    const evidence = err instanceof StepFailed ? err.evidence : {};
    return {
      key,
      title,
      expectation,
      ok: false,
      outcome: err instanceof Error ? err.message : String(err),
      nav: evidence.nav,
      exchanges: evidence.exchanges ?? [],
      at: new Date().toISOString(),
    };
  }
}
