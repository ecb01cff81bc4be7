/**
 * Every error code the platform raises on purpose, in one place: clients and tests match on
 * them, the SOAP fault map and the Italian titles in web/ are checked against this list.
 */
export const ERROR_CODES = [
  "ACA_REJECTED",
  "ACA_UNAVAILABLE",
  "AMOUNT_NOT_ALLOWED",
  "AMOUNT_RULE_INVALID",
  "AMOUNT_RULE_PLUGIN_PARAMS",
  "AMOUNT_RULE_PLUGIN_RESULT",
  "AMOUNT_RULE_PLUGIN_UNKNOWN",
  "AMOUNT_RULE_RESULT",
  "AMOUNT_TOO_SMALL",
  "AUX_DIGIT_UNSUPPORTED",
  "BIZEVENTS_REJECTED",
  "BIZEVENTS_UNAVAILABLE",
  "CART_CONFLICT",
  "CART_FULL",
  "CART_INVALID",
  "CHECKOUT_REJECTED",
  "CHECKOUT_UNAVAILABLE",
  "COUNCIL_GROUPS_MISSING",
  "CSRF_INVALID",
  "DEMAND_NOT_AVAILABLE",
  "FORBIDDEN",
  "FORM_INVALID",
  "IDEMPOTENCY_KEY_INVALID",
  "IDEMPOTENCY_KEY_IN_PROGRESS",
  "IDEMPOTENCY_KEY_REUSED",
  "IDP_REFUSED",
  "IDP_TENANTS_GROUP_MISSING",
  "IDP_UNAVAILABLE",
  "IMPORT_DUPLICATE",
  "IMPORT_FILE_INVALID",
  "IMPORT_TOO_LARGE",
  "INTERNAL",
  "INVITATION_EMAIL_FAILED",
  "IUV_SEQUENCE_EXHAUSTED",
  "NAV_ALLOCATION_COUNT",
  "NAV_ALLOCATION_FAILED",
  "NAV_INVALID",
  "NAV_TAKEN",
  "NAV_UNUSABLE",
  "NOTICE_CANCELLED",
  "NOTICE_EXPIRED",
  "NOTICE_IN_PROGRESS",
  "NOTICE_LAYOUT_OVERFLOW",
  "NOTICE_NEEDS_STAMP_SUPPORT",
  "NOTICE_NOTHING_TO_PAY",
  "NOTICE_NOT_PRINTABLE",
  "NOTICE_PAID",
  "NOTICE_UNKNOWN",
  "NOT_FOUND",
  "OWN_ADMIN_ACCESS",
  "PAYMENT_TYPE_NOT_ALLOWED",
  "PAYMENT_TYPE_TRANSFERS_INVALID",
  "PAYMENT_TYPE_UNAVAILABLE",
  "PAYMENT_TYPE_UNKNOWN",
  "PAY_LINK_INVALID",
  "PDF_ENGINE_UNAVAILABLE",
  "PDF_POOL_CLOSED",
  "PDF_RENDER_FAILED",
  "PDF_RENDER_TIMEOUT",
  "PAGOPA_REGISTRY_REJECTED",
  "PAGOPA_REGISTRY_UNREACHABLE",
  "PLATFORM_SCOPE_REASON",
  "PREPRODUCTION_NOT_IN_TEST",
  "PREPRODUCTION_NOT_PASSED",
  "PREPRODUCTION_RUN_ACTIVE",
  "POSITION_DUPLICATE",
  "POSITION_LOCKED",
  "POSITION_NOT_CANCELLABLE",
  "POSITION_NOT_UPDATABLE",
  "PRINT_RUN_DUPLICATE",
  "PRINT_RUN_EMPTY",
  "PRINT_SELECTION_INVALID",
  "RATE_LIMITED",
  "REASON_REQUIRED",
  "RECEIPT_DUPLICATE",
  "RECEIPT_FOLLOW_UP_FAILED",
  "RECEIPT_NOT_PAID",
  "REPORTING_FLOW_INVALID",
  "REPORTING_SOURCE_UNAVAILABLE",
  "RETURN_URL_REFUSED",
  "ROLE_INVALID",
  "SQL_NAME_INVALID",
  "SQL_VALUE_INVALID",
  "STAFF_ALREADY_MEMBER",
  "STAFF_USERNAME_TAKEN",
  "TENANT_ID_INVALID",
  "TENANT_NOT_PAYABLE",
  "TEST_NODO_REJECTED",
  "TEST_NODO_UNREACHABLE",
  "TOO_MANY_LOGINS",
  "TRANSFER_SHARES",
  "TREASURY_FILE_INVALID",
  "TREASURY_CREDIT_MATCHED",
  "TREASURY_NOT_MANUAL",
  "TX_FINISHED",
  "TX_TIMEOUT",
  "UNAUTHENTICATED",
  "UNAUTHORIZED",
  "WEBHOOK_INVALID",
  "WEBHOOK_REPLAY_EMPTY",
  "ADHESION_WRONG_STEP",
  "ADHESION_NO_CONTACT",
  "ADHESION_NO_ACCOUNT",
  "REGISTRY_CSV_INVALID",
  "BULK_CSV_INVALID",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * The one error type the platform throws on purpose. `code` is stable (clients and tests match
 * on it); `status` is the HTTP status problem+json uses; SOAP maps codes to PAA_* faults.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
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
export const conflict = (code: ErrorCode, message: string) => new AppError(code, message, 409);

/** Raised with per-field messages, so the form can be shown again with every error at its field. */
export class FormValidationError extends AppError {
  constructor(readonly fieldErrors: Record<string, string>) {
    super("FORM_INVALID", "Il modulo contiene errori", 422, { fieldErrors });
  }
}
