/**
 * File names that say what a PDF is, safe on every file system and in a Content-Disposition
 * header: only ASCII letters, digits, dot, dash and underscore.
 */
export function safeFilePart(text: string): string {
  return (
    text
      .replace(/[^A-Za-z0-9._-]+/g, "_")
      .replace(/^[._]+/, "")
      .slice(0, 80) || "x"
  );
}

/** `avviso-<NAV>-<ipa>.pdf`: the notice of one position, named for its first notice number. */
export function noticeFileName(nav: string, ipaCode: string): string {
  return `avviso-${safeFilePart(nav)}-${safeFilePart(ipaCode)}.pdf`;
}

const romeDay = new Intl.DateTimeFormat("en-CA", {
  timeZone: "Europe/Rome",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/** `avvisi-<ipa>-<yyyy-mm-dd>-<part>.pdf`: one merged chunk of a batch; the date is Rome's. */
export function noticeBatchFileName(ipaCode: string, date: Date, part: number): string {
  return `avvisi-${safeFilePart(ipaCode)}-${romeDay.format(date)}-${String(part).padStart(4, "0")}.pdf`;
}

/** `avvisi-<ipa>-<yyyy-mm-dd>.pdf`: several positions' notices merged into one file. */
export function noticesFileName(ipaCode: string, date: Date): string {
  return `avvisi-${safeFilePart(ipaCode)}-${romeDay.format(date)}.pdf`;
}
