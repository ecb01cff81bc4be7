export { JournalWriter, type JournalEntry, type JournalWriterOptions } from "./journal-writer.ts";
export { searchJournal, journalQuerySchema, type JournalQuery } from "./search-journal.ts";
export { purgeJournalRawJob } from "./purge-journal-raw.job.ts";
