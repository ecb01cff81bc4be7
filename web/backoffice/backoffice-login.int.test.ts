import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { formAction, TestBrowser } from "../../infra/dev-idp/oidc/test-browser.ts";
import { demoTenant, startBackoffice, type Harness } from "../../server/test/harness/backoffice/backoffice-harness.ts";

/** Staff login through the dev IdP (the same code path as against Keycloak), sessions, CSRF, logout. */
describe("back-office login through the staff realm", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startBackoffice({ withIdp: true });
    await demoTenant(h.deps, "c_x001");
  });
  afterAll(async () => {
    await h.stop();
  });

  /** Logs in as `username` with the browser; returns where the back-office sent it. */
  async function login(browser: TestBrowser, username: string, start = "/backoffice/") {
    let res = await browser.request(`${h.base}${start}`);
    expect(res.status).toBe(303);
    const toLogin = new URL(res.headers.get("location")!, h.base);
    expect(toLogin.pathname).toBe("/backoffice/accedi");
    res = await browser.request(toLogin);
    expect(res.status).toBe(303);
    const authorize = new URL(res.headers.get("location")!);
    expect(authorize.href.startsWith(`${h.idp!.issuer}/protocol/openid-connect/auth`)).toBe(true);
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorize.searchParams.get("nonce")).toBeTruthy();
    const page = await browser.follow(authorize, {}, `${h.base}/backoffice/auth/callback`);
    const html = await page.response.text();
    const submit = await browser.post(formAction(html, page.url, "/login"), { username, password: "demo" });
    const callback = await browser.follow(
      new URL(submit.headers.get("location")!, page.url),
      {},
      `${h.base}/backoffice/auth/callback`,
    );
    expect(callback.url.startsWith(`${h.base}/backoffice/auth/callback?`)).toBe(true);
    return callback.url;
  }

  test("an operator logs in with code + PKCE, lands in their council and is recorded with the realm's membership", async () => {
    const browser = new TestBrowser();
    const callbackUrl = await login(browser, "operatore.borgo");
    const done = await browser.request(callbackUrl);
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe("/backoffice/");
    const cookie = done.headers.getSetCookie().find((c) => c.startsWith("pp_staff="))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const home = await browser.request(`${h.base}/backoffice/`);
    expect(home.status).toBe(303);
    expect(home.headers.get("location")).toBe("/backoffice/enti/c_x001");
    const council = await browser.request(`${h.base}/backoffice/enti/c_x001`);
    expect(council.status).toBe(200);
    const page = await council.text();
    expect(page).toContain("Marco Bianchi");
    expect(page).toContain("Nuova posizione allo sportello");
    const user = await h.deps.db.withPlatformScope("test", (tx) =>
      tx.staffUser.findFirst({
        where: { displayName: "Marco Bianchi" },
        include: { memberships: { include: { tenant: true } } },
      }),
    );
    expect(user?.memberships.map((m) => [m.tenant.ipaCode, m.role])).toEqual([["c_x001", "OPERATOR"]]);
  });

  test("a callback is refused when its state is not this browser's, and cannot be replayed", async () => {
    const victim = new TestBrowser();
    const callbackUrl = await login(victim, "admin.borgo");
    // Another browser (an attacker planting their callback) is refused: no state cookie.
    const attacker = new TestBrowser();
    const planted = await attacker.request(callbackUrl);
    expect(planted.status).toBe(400);
    expect(await planted.text()).toContain("Accesso non riuscito");
    // The rightful browser logs in once; the same callback again is refused.
    const ok = await victim.request(callbackUrl);
    expect(ok.status).toBe(303);
    const cookieJar = new TestBrowser();
    const replay = await cookieJar.request(callbackUrl, {
      headers: { cookie: `pp_staff_login=${new URL(callbackUrl).searchParams.get("state")}` },
    });
    expect(replay.status).toBe(400);
  });

  test("a tampered session cookie, a missing CSRF token and a logged-out session are refused", async () => {
    const browser = new TestBrowser();
    await browser.request(await login(browser, "admin.borgo"));
    const page = await (await browser.request(`${h.base}/backoffice/enti/c_x001/conti`)).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;

    const noCsrf = await browser.post(`${h.base}/backoffice/esci`, {});
    expect(noCsrf.status).toBe(403);
    expect(await noCsrf.text()).toContain("non proviene da questa sessione");

    const cookies = (browser as unknown as { cookies: Map<string, string> }).cookies;
    const genuine = cookies.get("pp_staff")!;
    const [id, mac] = genuine.split(".");
    for (const forged of [`${id}.${mac!.slice(0, -2)}AA`, `${"A".repeat(43)}.${mac}`, id!, "garbage"]) {
      const res = await fetch(`${h.base}/backoffice/enti/c_x001`, {
        redirect: "manual",
        headers: { cookie: `pp_staff=${forged}` },
      });
      expect(res.status, forged).toBe(303);
      expect(res.headers.get("location")).toContain("/backoffice/accedi");
    }

    const out = await browser.post(`${h.base}/backoffice/esci`, { _csrf: csrf });
    expect(out.status).toBe(303);
    const endSession = new URL(out.headers.get("location")!);
    expect(endSession.href.startsWith(`${h.idp!.issuer}/protocol/openid-connect/logout`)).toBe(true);
    expect(endSession.searchParams.get("id_token_hint")).toBeTruthy();
    expect(endSession.searchParams.get("post_logout_redirect_uri")).toBe(`${h.base}/backoffice/`);
    const after = await fetch(`${h.base}/backoffice/enti/c_x001`, {
      redirect: "manual",
      headers: { cookie: `pp_staff=${genuine}` },
    });
    expect(after.status).toBe(303);
  });

  test("an open redirect through ?ritorno is not possible", async () => {
    const browser = new TestBrowser();
    const res = await browser.request(
      `${h.base}/backoffice/accedi?ritorno=${encodeURIComponent("https://evil.example/")}`,
    );
    expect(res.status).toBe(303);
    const state = new URL(res.headers.get("location")!).searchParams.get("state")!;
    const pending = await h.deps.redis.get(`${h.deps.config.QUEUE_PREFIX}:staff-login:${state}`);
    expect(JSON.parse(pending!).returnTo).toBe("/backoffice/");
  });
});

describe("back-office login rate limit", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startBackoffice({
      withIdp: true,
      env: { STAFF_LOGIN_RATE_LIMIT: "3", QUEUE_PREFIX: `rl-${process.pid}-${Date.now()}` },
    });
  });
  afterAll(async () => {
    await h.stop();
  });

  test("more than the limit per minute from one address gets 429 with Retry-After", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push(
        (await fetch(`${h.base}/backoffice/accedi`, { redirect: "manual", headers: { accept: "text/html" } })).status,
      );
    // A minute boundary may reset the window once; the limit still bites within five tries.
    expect(statuses.filter((s) => s === 303).length).toBeGreaterThanOrEqual(3);
    expect(statuses).toContain(429);
    const last = await fetch(`${h.base}/backoffice/accedi`, { redirect: "manual", headers: { accept: "text/html" } });
    if (last.status === 429) expect(Number(last.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});
