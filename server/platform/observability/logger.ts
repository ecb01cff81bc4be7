import { pino, type Logger } from "pino";

/**
 * Paths whose values never reach a log line: personal data (fiscal codes, names, e-mails), bank
 * data (IBANs) and credentials (tokens, cookies, SAML). Redaction is by key so that a new log
 * call carrying one of these objects is covered without anyone remembering to mask it.
 */
export const REDACTED_PATHS = [
  "req.headers.authorization",
  "req.headers.cookie",
  "req.headers['ocp-apim-subscription-key']",
  'res.headers["set-cookie"]',
  "*.fiscalCode",
  "*.debtorFiscalCode",
  "*.payerFiscalCode",
  "*.uniqueIdentifierValue",
  "*.iban",
  "*.IBAN",
  "*.email",
  "*.debtorEmail",
  "*.token",
  "*.accessToken",
  "*.refreshToken",
  "*.idToken",
  "*.password",
  "*.secret",
  "*.SAMLResponse",
  "*.SAMLRequest",
  "*.subscriptionKey",
];

/** Values that look like fiscal codes, IBANs or e-mail addresses are masked even inside free text. */
const FISCAL_CODE = /\b[A-Z]{6}\d{2}[A-EHLMPR-T]\d{2}[A-Z]\d{3}[A-Z]\b/gi;
const IBAN = /\b[A-Z]{2}\d{2}[A-Z0-9]{11,30}\b/g;
const EMAIL = /[A-Z0-9._%+-]+@[A-Z0-9-]+(\.[A-Z0-9-]+)*\.[A-Z]{2,}/gi;

export function maskPersonalData(text: string): string {
  return text.replace(FISCAL_CODE, "[CF]").replace(IBAN, "[IBAN]").replace(EMAIL, "[EMAIL]");
}

/** The keys of REDACTED_PATHS (and the headers'), matched at any depth and in any case. */
const REDACTED_KEYS = new Set(
  [
    ...REDACTED_PATHS.filter((p) => p.startsWith("*.")).map((p) => p.slice(2)),
    "authorization",
    "cookie",
    "set-cookie",
    "ocp-apim-subscription-key",
  ].map((k) => k.toLowerCase()),
);
const MAX_DEPTH = 8;

/**
 * A copy of a log line's object with every value under a redacted key replaced, at any depth
 * (pino's paths reach one level), and personal data masked inside every string, including the
 * message and stack of errors (an error message may quote a fiscal code or an address).
 */
export function redactDeep(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === "string") return maskPersonalData(value);
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_DEPTH || seen.has(value)) return "[…]";
  seen.add(value);
  if (value instanceof Error) {
    // Still an Error of the same class, so pino's error serializer names its type as before.
    const copy = Object.create(Object.getPrototypeOf(value) as object) as Error & Record<string, unknown>;
    for (const [key, v] of Object.entries(value))
      copy[key] = REDACTED_KEYS.has(key.toLowerCase()) ? "[REDACTED]" : redactDeep(v, depth + 1, seen);
    copy.message = maskPersonalData(value.message);
    if (value.stack) copy.stack = maskPersonalData(value.stack);
    const cause = (value as { cause?: unknown }).cause;
    if (cause !== undefined) copy.cause = redactDeep(cause, depth + 1, seen);
    return copy;
  }
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, depth + 1, seen));
  // Only plain data is walked: a request, a socket or a client object is left to pino's own
  // serializers (req/res) and redaction paths, and is never copied.
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value))
    out[key] =
      REDACTED_KEYS.has(key.toLowerCase()) && v !== undefined && v !== null
        ? "[REDACTED]"
        : redactDeep(v, depth + 1, seen);
  return out;
}

/** Creates the process logger: JSON lines, redacted, with the role in every line. */
export function createLogger(options: { level: string; role: string; destination?: NodeJS.WritableStream }): Logger {
  return pino(
    {
      level: options.level,
      base: { service: "pontepa", role: options.role },
      redact: { paths: REDACTED_PATHS, censor: "[REDACTED]" },
      timestamp: pino.stdTimeFunctions.isoTime,
      // The top-level object is plain (pino's merging object); req/res inside it are not walked.
      formatters: { log: (object) => redactDeep(object) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          const masked = args.map((arg) => (typeof arg === "string" ? maskPersonalData(arg) : arg));
          return method.apply(this, masked as Parameters<typeof method>);
        },
      },
    },
    options.destination as pino.DestinationStream | undefined,
  );
}

export type { Logger };
