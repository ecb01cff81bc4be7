export { createCheckoutClient, type CheckoutClient, type CheckoutClientConfig } from "./checkout-client.ts";
export { cartRequestSchema, type CartRequest } from "./cart.schema.ts";
