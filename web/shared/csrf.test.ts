import { describe, expect, it } from "vitest";
import type { Request, Response } from "express";
import { CSRF_COOKIE, csrfProtection } from "./csrf.ts";

/** Runs the guard on a fake request; returns the error passed on (if any) and the cookie it set. */
function run(
  guard: ReturnType<typeof csrfProtection>,
  init: { method: string; cookie?: string; body?: Record<string, string>; session?: string },
) {
  const cookies: Record<string, string> = {};
  const req = {
    method: init.method,
    headers: {
      cookie: [init.cookie && `${CSRF_COOKIE}=${init.cookie}`, init.session && `pp_spid=${init.session}`]
        .filter(Boolean)
        .join("; "),
    },
    body: init.body,
  } as unknown as Request;
  const res = {
    locals: {} as Record<string, unknown>,
    cookie: (name: string, value: string) => void (cookies[name] = value),
  } as unknown as Response;
  let error: unknown = "not called";
  guard(req, res, (err?: unknown) => void (error = err));
  return { error, setCookie: cookies[CSRF_COOKIE], token: (res.locals as { csrfToken: string }).csrfToken };
}

const session = (req: Request) => /pp_spid=([^;]+)/.exec(req.headers.cookie ?? "")?.[1];

describe("citizen CSRF token: signed and bound to the SPID session (issue 13 item 10)", () => {
  const guard = csrfProtection({ secure: false, secret: "test-only-csrf-secret", bindTo: session });

  it("accepts a form that sends back the token of its own signed cookie", () => {
    const { setCookie, token } = run(guard, { method: "GET" });
    expect(setCookie).toBe(token);
    expect(run(guard, { method: "POST", cookie: token, body: { _csrf: token } }).error).toBeUndefined();
  });

  it("refuses a planted cookie that the server did not sign, even when the form matches it", () => {
    const planted = `${"a".repeat(43)}.${"b".repeat(43)}`;
    const { error, setCookie } = run(guard, { method: "POST", cookie: planted, body: { _csrf: planted } });
    expect(error).toMatchObject({ code: "CSRF_INVALID", status: 403 });
    expect(setCookie).not.toBe(planted); // replaced by a signed one
    // The old unsigned format of a random value alone is no longer trusted either.
    const legacy = "c".repeat(43);
    expect(run(guard, { method: "POST", cookie: legacy, body: { _csrf: legacy } }).error).toMatchObject({
      code: "CSRF_INVALID",
    });
  });

  it("refuses a token signed for another session (an attacker's own pair planted in a logged-in victim's browser)", () => {
    const attacker = run(guard, { method: "GET", session: "attacker-session" }).token;
    expect(
      run(guard, { method: "POST", cookie: attacker, body: { _csrf: attacker }, session: "attacker-session" }).error,
    ).toBeUndefined();
    expect(
      run(guard, { method: "POST", cookie: attacker, body: { _csrf: attacker }, session: "victim-session" }).error,
    ).toMatchObject({ code: "CSRF_INVALID" });
  });

  it("refuses a token signed with another secret", () => {
    const other = run(csrfProtection({ secure: false, secret: "another-secret-here", bindTo: session }), {
      method: "GET",
    }).token;
    expect(run(guard, { method: "POST", cookie: other, body: { _csrf: other } }).error).toMatchObject({
      code: "CSRF_INVALID",
    });
  });
});
