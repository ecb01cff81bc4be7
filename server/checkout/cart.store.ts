import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { Redis } from "ioredis";

export const cartItemSchema = z.object({
  tenantId: z.uuid(),
  ipaCode: z.string(),
  creditorFiscalCode: z.string().regex(/^\d{11}$/),
  companyName: z.string(),
  nav: z.string().regex(/^\d{18}$/),
  amountCents: z.number().int().positive(),
  description: z.string().max(140),
  /** The position the notice belongs to: its single option and its installments exclude each other. */
  positionId: z.uuid().optional(),
  /** Installment n of N, or null for the single payment ("Unica soluzione"). */
  installment: z
    .object({ number: z.number().int().min(1), count: z.number().int().min(0) })
    .nullable()
    .default(null),
  /**
   * Whether this visitor showed they know the debtor (typed the debtor's fiscal code, or is the
   * debtor logged in with SPID): only then may they download the notice, which names the debtor.
   */
  debtorKnown: z.boolean().default(false),
});
export type CartItem = z.infer<typeof cartItemSchema>;
export type CartItemInput = z.input<typeof cartItemSchema>;

const cartSchema = z.object({
  items: z.array(cartItemSchema).max(5),
  /** The e-mail typed on a service form, offered again (pre-filled) on the cart page. */
  email: z.email().optional(),
});
export type Cart = z.infer<typeof cartSchema>;

/** A cart handed to Checkout: kept for the result page and the receipt e-mail of that payment. */
const submittedSchema = cartSchema.extend({
  /** The address the citizen gave for the receipt of this payment (and of no other). */
  email: z.email().optional(),
  submittedAt: z.coerce.date().optional(),
});
export type SubmittedCart = z.infer<typeof submittedSchema>;

/** pagoPA Checkout takes at most five notices in one cart. */
export const MAX_CART_ITEMS = 5;
const TTL_SECONDS = 24 * 3600;
const SUBMITTED_TTL_SECONDS = 30 * 24 * 3600;
const ID = /^[\w-]{32}$/;

/**
 * The citizen's cart, kept in Redis under an unguessable id held in a cookie: anonymous citizens
 * have no account, and any portal instance can serve the next request. Only `server/checkout/`
 * uses it; pages call the module's use cases.
 */
export class CartStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  newId(): string {
    return randomBytes(24).toString("base64url");
  }

  isId(id: unknown): id is string {
    return typeof id === "string" && ID.test(id);
  }

  async get(id: string | undefined): Promise<Cart> {
    if (!this.isId(id)) return { items: [] };
    const raw = await this.redis.get(`${this.prefix}:cart:${id}`);
    const parsed = raw ? cartSchema.safeParse(JSON.parse(raw)) : undefined;
    return parsed?.success ? parsed.data : { items: [] };
  }

  async save(id: string, cart: Cart): Promise<void> {
    await this.redis.set(`${this.prefix}:cart:${id}`, JSON.stringify(cartSchema.parse(cart)), "EX", TTL_SECONDS);
  }

  async remove(id: string, nav: string): Promise<void> {
    const cart = await this.get(id);
    await this.save(id, { ...cart, items: cart.items.filter((i) => i.nav !== nav) });
  }

  /** Moves the cart to a checkout record (kept 30 days for the result page) and empties it. */
  async submit(id: string, checkoutId: string, submitted: SubmittedCart): Promise<void> {
    await this.redis
      .multi()
      .set(
        `${this.prefix}:checkout:${checkoutId}`,
        JSON.stringify(submittedSchema.parse(submitted)),
        "EX",
        SUBMITTED_TTL_SECONDS,
      )
      .del(`${this.prefix}:cart:${id}`)
      .exec();
  }

  async submitted(checkoutId: string): Promise<SubmittedCart | undefined> {
    if (!this.isId(checkoutId)) return undefined;
    const raw = await this.redis.get(`${this.prefix}:checkout:${checkoutId}`);
    const parsed = raw ? submittedSchema.safeParse(JSON.parse(raw)) : undefined;
    return parsed?.success ? parsed.data : undefined;
  }
}
