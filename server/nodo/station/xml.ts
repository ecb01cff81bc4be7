// A tiny XML writer for the station's answers. Answers are built in the XSD's element order
// from typed values, so they validate against the contract by construction; everything that
// reaches the output as text goes through `escapeXml`.

/** Characters XML 1.0 does not allow at all (control characters from a database field, say). */
// eslint-disable-next-line no-control-regex -- naming the allowed control characters is the point
const ILLEGAL = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function escapeXml(value: string): string {
  return value
    .replace(ILLEGAL, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/** Cuts a text to `max` characters (code points, as XSD lengths count them). */
export function truncate(value: string, max: number): string {
  const chars = Array.from(value.trim());
  return chars.length <= max ? chars.join("") : chars.slice(0, max).join("");
}

/** An element with already-serialised children; empty/absent children are skipped. */
export function el(name: string, ...children: Array<string | null | undefined | false>): string {
  return `<${name}>${children.filter((c): c is string => typeof c === "string").join("")}</${name}>`;
}

/** A leaf element with escaped text. */
export function leaf(name: string, value: string | number | boolean): string {
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** A leaf for an optional value: nothing when absent or empty after trimming. */
export function optLeaf(name: string, value: string | number | boolean | null | undefined, max?: number): string {
  if (value === null || value === undefined) return "";
  const text = typeof value === "string" ? (max ? truncate(value, max) : value.trim()) : String(value);
  return text === "" ? "" : leaf(name, text);
}

/** Euro cents as the XSD's stAmount (`\d+\.\d{2}`). */
export function formatAmount(cents: number): string {
  if (!Number.isInteger(cents) || cents < 0) throw new RangeError(`Not an amount in cents: ${cents}`);
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
}

const ROME_DAY = new Intl.DateTimeFormat("en-CA", {
  timeZone: "Europe/Rome",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

// Due dates repeat (a council's notices share a few of them) and Intl formatting was a visible
// share of the station's CPU per verify: remember the last few thousand answers.
const romeDays = new Map<number, string>();

/** An instant as an xsd:date, the calendar day in Rome (due dates are Italian days). */
export function formatRomeDate(at: Date): string {
  const ms = at.getTime();
  let day = romeDays.get(ms);
  if (day === undefined) {
    day = ROME_DAY.format(at);
    if (romeDays.size >= 4_096) romeDays.clear();
    romeDays.set(ms, day);
  }
  return day;
}
