/**
 * Integration-test harness for the back-office: the real app (real PostgreSQL and Redis) on a
 * loopback port, optionally with the dev IdP as the staff realm, and helpers to hold a staff
 * session the way a browser does.
 */
import { createServer, type Server } from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import { createApp } from "../../../app.ts";
import type { Deps } from "../../../platform/deps.ts";
import { testDeps } from "../../support.ts";
import { createDevIdp, type DevIdp } from "../../../../infra/dev-idp/app.ts";
import { STAFF_SESSION_COOKIE, StaffSessions, type StaffPrincipal } from "../../../identity/staff/index.ts";
import type { Tenant } from "../../../generated/prisma/client.ts";
import { applyDemoPack } from "../../demo-pack.ts";
import { makeTenant } from "../../factories.ts";

export interface Harness {
  deps: Deps;
  base: string;
  idp?: { issuer: string; base: string; stop: () => Promise<void> };
  sessions: StaffSessions;
  stop: () => Promise<void>;
}

async function listen(
  handler: Parameters<typeof createServer>[1] | undefined,
): Promise<{ server: Server; base: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/**
 * Starts the app (and, with `withIdp`, the dev IdP registered to redirect back to it).
 * `idpTenants` gives the realm the groups of councils the test created; `idpSmtpUrl` is where the
 * realm's invitation e-mails go (default a closed port).
 */
export async function startBackoffice(
  options: { withIdp?: boolean; env?: Record<string, string>; idpTenants?: string[]; idpSmtpUrl?: string } = {},
): Promise<Harness> {
  const app = await listen(undefined);
  let idp: DevIdp | undefined;
  let idpServer: Server | undefined;
  let dataDir: string | undefined;
  let issuer = "http://127.0.0.1:9/realms/pontepa";
  if (options.withIdp) {
    idpServer = createServer();
    await new Promise<void>((resolve) => idpServer!.listen(0, "127.0.0.1", resolve));
    const idpBase = `http://127.0.0.1:${(idpServer.address() as AddressInfo).port}`;
    dataDir = await mkdtemp(path.join(os.tmpdir(), "bo-idp-"));
    idp = await createDevIdp({
      issuerBase: idpBase,
      dataDir,
      backofficeBaseUrls: [app.base],
      extraTenants: (options.idpTenants ?? []).map((ipaCode) => ({ ipaCode })),
      smtpUrl: options.idpSmtpUrl ?? "smtp://127.0.0.1:9",
      logger: pino({ level: "silent" }),
    });
    idpServer.on("request", idp.app);
    issuer = idp.issuer;
  }
  const deps = testDeps({ PUBLIC_BASE_URL: app.base, OIDC_ISSUER_URL: issuer, ...options.env });
  app.server.on("request", createApp(deps));
  const sessions = new StaffSessions(deps.redis, deps.config.QUEUE_PREFIX, {
    secret: deps.config.STAFF_SESSION_SECRET,
    idleSeconds: 600,
    maxSeconds: 3600,
  });
  return {
    deps,
    base: app.base,
    sessions,
    idp: idp ? { issuer, base: issuer.replace(/\/realms\/[^/]+$/, ""), stop: async () => undefined } : undefined,
    stop: async () => {
      await new Promise((r) => app.server.close(r));
      if (idp && idpServer) await idp.close(idpServer);
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
      await deps.close();
    },
  };
}

/** A session cookie header for `principal`, as if they had logged in. */
export async function sessionFor(h: Harness, principal: StaffPrincipal): Promise<{ cookie: string; csrf: string }> {
  const value = await h.sessions.create(principal, "id-token-for-tests");
  const session = await h.sessions.get(value);
  return { cookie: `${STAFF_SESSION_COOKIE}=${value}`, csrf: session!.csrfToken };
}

export function principal(
  username: string,
  platformRoles: StaffPrincipal["platformRoles"],
  memberships: StaffPrincipal["memberships"],
): StaffPrincipal {
  return { subject: `sub-${username}`, username, name: username, email: null, platformRoles, memberships };
}

/** A demo council the realm's users belong to (c_x001, c_x002), from the demo pack itself. */
export async function demoTenant(deps: Deps, ipaCode: string): Promise<Tenant> {
  const found = await deps.db.client.tenant.findUnique({ where: { ipaCode } });
  if (found) return found;
  await applyDemoPack(deps.db, "backoffice-test");
  return deps.db.client.tenant.findUniqueOrThrow({ where: { ipaCode } });
}

/** The treasury account councilWithAccount opens. */
export const OWN_IBAN = "IT60X0542811101000000123456";

/** A new council with its treasury account (OWN_IBAN), where most back-office tests start. */
export async function councilWithAccount(h: Harness, name: string): Promise<Tenant> {
  const t = await makeTenant(h.deps.db, { name });
  await h.deps.db.withTenant(t.id, (tx) =>
    tx.creditorAccount.create({
      data: { tenantId: t.id, iban: OWN_IBAN, holder: "Tesoreria", effectiveFrom: new Date("2025-01-01") },
    }),
  );
  return t;
}

/** A page's text with Handlebars' escapes undone, to read values back as they were typed. */
export const decodeHtml = (s: string) =>
  s
    .replace(/&#x27;/g, "'")
    .replace(/&#x3D;/g, "=")
    .replace(/&amp;/g, "&");
