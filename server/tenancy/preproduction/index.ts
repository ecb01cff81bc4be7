export { runPreproductionTests } from "./run-preproduction-tests.ts";
export { startPreproductionRun } from "./start-preproduction-run.ts";
export { approvePreproductionRun } from "./approve-preproduction-run.ts";
export {
  listPreproductionRuns,
  hasApprovedPreproductionRun,
  type PreproductionRunView,
} from "./list-preproduction-runs.ts";
export type { RunStep } from "./run-step.ts";
