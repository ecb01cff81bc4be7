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
});
export type CartItem = z.infer<typeof cartItemSchema>;

const cartSchema = z.object({ items: z.array(cartItemSchema).max(5), email: z.string().optional() });
export type Cart = z.infer<typeof cartSchema>;

/** pagoPA Checkout takes at most five notices in one cart. */
export const MAX_CART_ITEMS = 5;
const TTL_SECONDS = 24 * 3600;
const ID = /^[\w-]{32}$/;

/**
 * The citizen's cart, kept in Redis under an unguessable id held in a cookie: anonymous citizens
 * have no account, and any portal instance can serve the next request.
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

  /** Adds a notice unless it is already there; refuses a sixth. */
  async add(id: string, item: CartItem): Promise<{ added: boolean; full: boolean; cart: Cart }> {
    const cart = await this.get(id);
    if (cart.items.some((i) => i.nav === item.nav && i.creditorFiscalCode === item.creditorFiscalCode)) return { added: false, full: false, cart };
    if (cart.items.length >= MAX_CART_ITEMS) return { added: false, full: true, cart };
    cart.items.push(item);
    await this.save(id, cart);
    return { added: true, full: false, cart };
  }

  async remove(id: string, nav: string): Promise<void> {
    const cart = await this.get(id);
    await this.save(id, { ...cart, items: cart.items.filter((i) => i.nav !== nav) });
  }

  /** Moves the cart to a checkout record (kept 30 days for the result page) and empties it. */
  async submit(id: string, checkoutId: string): Promise<Cart> {
    const cart = await this.get(id);
    await this.redis
      .multi()
      .set(`${this.prefix}:checkout:${checkoutId}`, JSON.stringify(cart), "EX", 30 * 24 * 3600)
      .del(`${this.prefix}:cart:${id}`)
      .exec();
    return cart;
  }

  async submitted(checkoutId: string): Promise<Cart | undefined> {
    if (!this.isId(checkoutId)) return undefined;
    const raw = await this.redis.get(`${this.prefix}:checkout:${checkoutId}`);
    const parsed = raw ? cartSchema.safeParse(JSON.parse(raw)) : undefined;
    return parsed?.success ? parsed.data : undefined;
  }
}
