import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { z } from "zod";

export const CITIZEN_SESSION_COOKIE = "pp_spid";
/** Binds a pending SPID login to the browser that started it (path /spid, until the answer). */
export const SPID_LOGIN_COOKIE = "pp_spid_login";
/** The same for a CIE ID login (path /cie). */
export const CIE_LOGIN_COOKIE = "pp_cie_login";
const IDLE_SECONDS = 30 * 60;

const sessionSchema = z.object({
  fiscalCode: z.string(),
  name: z.string(),
  /** The e-mail SPID certified, if the IdP gave one: pre-fills the receipt address on the portal. */
  email: z.string().nullable().default(null),
  level: z.number().int(),
  idp: z.string(),
  nameId: z.string(),
  sessionIndex: z.string().nullable(),
  /** How the citizen logged in: SPID or CIE ID (which SP, and IdP, a logout goes through). */
  scheme: z.enum(["spid", "cie"]).default("spid"),
  /** The council whose SP opened the session (per-tenant mode), null for the Region's SP. */
  spTenant: z.string().nullable().default(null),
  createdAt: z.string(),
});
export type CitizenSession = z.infer<typeof sessionSchema>;

/**
 * Logged-in citizens, in Redis under an unguessable id held in an HttpOnly cookie; 30 minutes of
 * idle time (each read extends it). Nothing about the citizen is in the cookie itself.
 */
export class CitizenSessions {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(id: string) {
    return `${this.prefix}:citizen-session:${id}`;
  }

  async create(
    session: Omit<CitizenSession, "createdAt" | "email" | "scheme"> & {
      email?: string | null;
      scheme?: CitizenSession["scheme"];
    },
  ): Promise<string> {
    const id = randomBytes(32).toString("base64url");
    await this.redis.set(
      this.key(id),
      JSON.stringify({ scheme: "spid", ...session, createdAt: new Date().toISOString() }),
      "EX",
      IDLE_SECONDS,
    );
    return id;
  }

  async get(id: string | undefined): Promise<CitizenSession | null> {
    if (!id || !/^[\w-]{43}$/.test(id)) return null;
    const raw = await this.redis.getex(this.key(id), "EX", IDLE_SECONDS);
    const parsed = raw ? sessionSchema.safeParse(JSON.parse(raw)) : null;
    return parsed?.success ? parsed.data : null;
  }

  async destroy(id: string | undefined): Promise<void> {
    if (id && /^[\w-]{43}$/.test(id)) await this.redis.del(this.key(id));
  }
}
