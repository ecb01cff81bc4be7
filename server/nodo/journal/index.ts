export { JournalWriter, type JournalEntry, type JournalWriterOptions } from "./journal-writer.ts";
export {
  searchJournal,
  journalOfNotices,
  journalQuerySchema,
  type JournalQuery,
  type JournalSummary,
} from "./search-journal.ts";
export { purgeJournalRawJob } from "./purge-journal-raw.job.ts";
export { readJournalMessage, type JournalMessage } from "./read-journal-message.ts";
