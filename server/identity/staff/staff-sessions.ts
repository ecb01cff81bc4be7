import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Redis } from "ioredis";
import { z } from "zod";
import type { StaffPrincipal } from "./staff-principal.ts";

export const STAFF_SESSION_COOKIE = "pp_staff";

const principalSchema = z.object({
  subject: z.string(),
  username: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  platformRoles: z.array(z.enum(["platform-admin", "regional-helpdesk"])),
  memberships: z.record(z.string(), z.array(z.enum(["tenant-admin", "operator", "viewer"]))),
});

const sessionSchema = z.object({
  principal: principalSchema,
  /** Sent back as id_token_hint when logging out at the IdP. */
  idToken: z.string(),
  /** Synchronizer token every back-office form must return. */
  csrfToken: z.string(),
  createdAt: z.number(),
});
export type StaffSession = z.infer<typeof sessionSchema> & { id: string };

export interface StaffSessionOptions {
  /** HMAC key for the cookie: a cookie we did not issue is refused before Redis is asked. */
  secret: string;
  idleSeconds: number;
  maxSeconds: number;
}

/**
 * Staff sessions in Redis. The cookie holds only `<id>.<hmac(id)>`; the principal lives server
 * side, so a tampered cookie can neither forge roles nor guess another session. Idle time
 * slides with each request; the absolute lifetime does not.
 */
export class StaffSessions {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly options: StaffSessionOptions,
  ) {}

  private key(id: string) {
    return `${this.prefix}:staff-session:${id}`;
  }

  private sign(id: string): string {
    return createHmac("sha256", this.options.secret).update(id).digest("base64url");
  }

  /** Creates a session and returns the cookie value. */
  async create(principal: StaffPrincipal, idToken: string): Promise<string> {
    const id = randomBytes(32).toString("base64url");
    const session = { principal, idToken, csrfToken: randomBytes(32).toString("base64url"), createdAt: Date.now() };
    await this.redis.set(this.key(id), JSON.stringify(session), "EX", this.options.idleSeconds);
    return `${id}.${this.sign(id)}`;
  }

  /** The session behind a cookie value, or null when missing, tampered, idle too long or too old. */
  async get(cookie: string | undefined): Promise<StaffSession | null> {
    const id = this.verify(cookie);
    if (!id) return null;
    const raw = await this.redis.getex(this.key(id), "EX", this.options.idleSeconds);
    if (!raw) return null;
    const parsed = sessionSchema.safeParse(JSON.parse(raw));
    if (!parsed.success) return null;
    if (Date.now() - parsed.data.createdAt > this.options.maxSeconds * 1000) {
      await this.redis.del(this.key(id));
      return null;
    }
    return { ...parsed.data, id };
  }

  async destroy(cookie: string | undefined): Promise<void> {
    const id = this.verify(cookie);
    if (id) await this.redis.del(this.key(id));
  }

  private verify(cookie: string | undefined): string | null {
    const m = /^([\w-]{43})\.([\w-]{43})$/.exec(cookie ?? "");
    if (!m) return null;
    const expected = Buffer.from(this.sign(m[1]!));
    const given = Buffer.from(m[2]!);
    return expected.length === given.length && timingSafeEqual(expected, given) ? m[1]! : null;
  }
}
