/**
 * The one error type the platform throws on purpose. `code` is stable (clients and tests match
 * on it); `status` is the HTTP status problem+json uses; SOAP maps codes to PAA_* faults.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 500,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const notFound = (what: string) => new AppError("NOT_FOUND", `${what} not found`, 404);
export const forbidden = (why = "Forbidden") => new AppError("FORBIDDEN", why, 403);
export const conflict = (code: string, message: string) => new AppError(code, message, 409);

/** Raised with per-field messages, so the form can be shown again with every error at its field. */
export class FormValidationError extends AppError {
  constructor(readonly fieldErrors: Record<string, string>) {
    super("FORM_INVALID", "Il modulo contiene errori", 422, { fieldErrors });
  }
}
