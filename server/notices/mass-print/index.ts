// Mass printing of notices (stampa massiva): a selection, a resumable job, a zip of per-position
// PDFs, one merged PDF and the postal printer's manifest.
export { startPrintRun, getPrintRun, listPrintRuns, type StartPrintRunDeps } from "./start-print-run.ts";
export { processPrintRun, type PrintRunHooks, type PrintRunSummary } from "./process-print-run.ts";
export { printRunJob } from "./print-run.job.ts";
export { printSelectionSchema, type PrintSelection } from "./print-run.repository.ts";
export { printRunFileNames, MANIFEST_HEADER, type PrintRunFileKind } from "./print-run-files.ts";
export { printRunFileStream } from "./assemble-print-run.ts";
