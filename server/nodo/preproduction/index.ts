export { createPspCounterClient, type PspCounterConfig } from "./psp-counter-client.ts";
export { runPreproductionTestsJob } from "./run-preproduction-tests.job.ts";
