// Paying on the citizen portal: the cart (owned here, in Redis), pagoPA Checkout, the result.
export { createCheckoutDeps, type CheckoutDeps, type CheckoutCarts } from "./checkout-deps.ts";
export {
  CartStore,
  MAX_CART_ITEMS,
  cartItemSchema,
  type Cart,
  type CartItem,
  type CartItemInput,
  type SubmittedCart,
} from "./cart.store.ts";
export { isPayableTenant } from "./payable-tenant.ts";
export { addToCart, cartConflict, optionLabel, type AddedToCart } from "./add-to-cart.ts";
export { viewCart, removeFromCart, type CartView } from "./view-cart.ts";
export { findPayableNotice, UNIFORM_REASON, type NoticeLookup, type NoticeLookupInput } from "./find-payable-notice.ts";
export { payForService, type ServicePayment } from "./pay-for-service.ts";
export { startCheckout, CHECKOUT_OUTCOMES, type CheckoutOutcome, type StartedCheckout } from "./start-checkout.ts";
export { getCheckoutResult, type CheckoutResult } from "./get-checkout-result.ts";
export { retryCheckout, refillCart, type RetriedCheckout } from "./retry-checkout.ts";
export { downloadCartNotice, downloadCheckoutNotice } from "./download-notice.ts";
// Payments a council's portal starts through the API (OTF), and where Checkout's return sends the citizen.
export { checkReturnUrl, councilReturnUrl, type ReturnUrlCheck } from "./return-url.ts";
export { startCouncilPayment, type CouncilPaymentInput, type StartedCouncilPayment } from "./start-council-payment.ts";
export { getCouncilPayment, councilReturnFor, type CouncilPaymentStatus } from "./council-payment-result.ts";
// The signed "pay this notice" link a council e-mails or prints.
export { payLinkKey, signPayLink, readPayLink, type PayLink, type PayLinkCheck } from "./pay-link.ts";
export {
  issuePayLink,
  payLinkFor,
  PAY_LINK_DEFAULT_DAYS,
  PAY_LINK_MAX_DAYS,
  type IssuedPayLink,
} from "./issue-pay-link.ts";
