const romeDay = new Intl.DateTimeFormat("en-CA", {
  timeZone: "Europe/Rome",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/** The calendar day (YYYY-MM-DD) an instant falls on in Rome: what "today" means to a council. */
export const romeDayOf = (instant: Date): string => romeDay.format(instant);

/** A calendar day as the Date Prisma stores in a `@db.Date` column (midnight UTC of that day). */
export const dayAsDate = (day: string): Date => new Date(`${day}T00:00:00Z`);

/** A `@db.Date` value back to YYYY-MM-DD. */
export const dateAsDay = (date: Date): string => date.toISOString().slice(0, 10);

/** YYYY-MM-DD as Italians write it (10/12/2026). */
export const italianDay = (day: string): string => day.split("-").reverse().join("/");
