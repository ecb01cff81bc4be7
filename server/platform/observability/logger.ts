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

/** Values that look like fiscal codes or IBANs are masked even inside free text (messages). */
const FISCAL_CODE = /\b[A-Z]{6}\d{2}[A-EHLMPR-T]\d{2}[A-Z]\d{3}[A-Z]\b/gi;
const IBAN = /\b[A-Z]{2}\d{2}[A-Z0-9]{11,30}\b/g;

export function maskPersonalData(text: string): string {
  return text.replace(FISCAL_CODE, "[CF]").replace(IBAN, "[IBAN]");
}

/** Creates the process logger: JSON lines, redacted, with the role in every line. */
export function createLogger(options: { level: string; role: string; destination?: NodeJS.WritableStream }): Logger {
  return pino(
    {
      level: options.level,
      base: { service: "pontepa", role: options.role },
      redact: { paths: REDACTED_PATHS, censor: "[REDACTED]" },
      timestamp: pino.stdTimeFunctions.isoTime,
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
