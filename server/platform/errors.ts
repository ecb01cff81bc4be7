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
export const badRequest = (message: string, details?: Record<string, unknown>) =>
  new AppError("BAD_REQUEST", message, 400, details);
export const conflict = (code: string, message: string) => new AppError(code, message, 409);
