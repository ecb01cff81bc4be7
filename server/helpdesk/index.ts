// The regional helpdesk: cross-tenant payment search and the tenants overview (both audited).
export {
  findPayment,
  paymentQuerySchema,
  type PaymentQuery,
  type PaymentTrace,
  type TimelineEvent,
} from "./find-payment.ts";
export { tenantsOverview, type TenantOverview } from "./tenants-overview.ts";
export { openNodoMessage, type NodoMessageReader, type OpenedNodoMessage } from "./open-nodo-message.ts";
