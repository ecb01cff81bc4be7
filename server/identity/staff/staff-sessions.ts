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
 * What a change of someone's roles does to their open sessions: the principal they should hold
 * from now on, or null to end them.
 */
export type PrincipalChange = (principal: StaffPrincipal) => StaffPrincipal | null;

/** The part of StaffSessions the staff administration use cases need. */
export interface StaffSessionIndex {
  updateSubject(subject: string, change: PrincipalChange): Promise<number>;
}

/**
 * Staff sessions in Redis. The cookie holds only `<id>.<hmac(id)>`; the principal lives server
 * side, so a tampered cookie can neither forge roles nor guess another session. Idle time
 * slides with each request; the absolute lifetime does not. Each person's sessions are indexed
 * by subject (a Redis set), so a change of their roles reaches the sessions they already have
 * open on the next request instead of at their next login (up to STAFF_SESSION_MAX_HOURS).
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

  private indexKey(subject: string) {
    return `${this.prefix}:staff-sessions-of:${subject}`;
  }

  private sign(id: string): string {
    return createHmac("sha256", this.options.secret).update(id).digest("base64url");
  }

  /**
   * Creates a session and returns the cookie value. At login the realm is the truth: the
   * person's other open sessions take this login's principal too.
   */
  async create(principal: StaffPrincipal, idToken: string): Promise<string> {
    const id = randomBytes(32).toString("base64url");
    const session = { principal, idToken, csrfToken: randomBytes(32).toString("base64url"), createdAt: Date.now() };
    await this.updateSubject(principal.subject, () => principal);
    const index = this.indexKey(principal.subject);
    // The index lives as long as the newest session can.
    await this.redis
      .multi()
      .set(this.key(id), JSON.stringify(session), "EX", this.options.idleSeconds)
      .sadd(index, id)
      .expire(index, this.options.maxSeconds)
      .exec();
    return `${id}.${this.sign(id)}`;
  }

  /**
   * Applies `change` to the principal of every open session of `subject` (the realm's user id):
   * a new principal is stored keeping the session's idle expiry, null ends the session. Ids of
   * sessions that already ended are dropped from the index. Returns the sessions changed.
   */
  async updateSubject(subject: string, change: PrincipalChange): Promise<number> {
    const index = this.indexKey(subject);
    const ids = await this.redis.smembers(index);
    let changed = 0;
    for (const id of ids) {
      const raw = await this.redis.get(this.key(id));
      const parsed = raw ? sessionSchema.safeParse(JSON.parse(raw)) : null;
      if (!parsed?.success) {
        await this.redis.multi().del(this.key(id)).srem(index, id).exec();
        continue;
      }
      const next = change(parsed.data.principal);
      if (next === null) await this.redis.multi().del(this.key(id)).srem(index, id).exec();
      // XX: a session that ended meanwhile is not brought back.
      else await this.redis.set(this.key(id), JSON.stringify({ ...parsed.data, principal: next }), "KEEPTTL", "XX");
      changed++;
    }
    return changed;
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
    if (!id) return;
    const raw = await this.redis.get(this.key(id));
    const subject = raw ? sessionSchema.safeParse(JSON.parse(raw)).data?.principal.subject : undefined;
    await this.redis.del(this.key(id));
    if (subject) await this.redis.srem(this.indexKey(subject), id);
  }

  private verify(cookie: string | undefined): string | null {
    const m = /^([\w-]{43})\.([\w-]{43})$/.exec(cookie ?? "");
    if (!m) return null;
    const expected = Buffer.from(this.sign(m[1]!));
    const given = Buffer.from(m[2]!);
    return expected.length === given.length && timingSafeEqual(expected, given) ? m[1]! : null;
  }
}
