export { createPosition, type CreatedPosition } from "./create-position.ts";
export { allocateNoticeNumbers, type TenantNumbering } from "./allocate-notice-numbers.ts";
export { createPositionSchema, MAX_AMOUNT_CENTS, type CreatePositionInput } from "./position.schema.ts";
