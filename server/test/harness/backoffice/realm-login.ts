import { expect } from "vitest";
import { formAction, TestBrowser } from "../../../../infra/dev-idp/oidc/test-browser.ts";
import type { Harness } from "./backoffice-harness.ts";

/** Logs `username` into the back-office through the dev realm's login form; returns the browser, logged in. */
export async function loginThroughRealm(h: Harness, username: string, password = "demo"): Promise<TestBrowser> {
  const browser = new TestBrowser();
  const start = await browser.request(`${h.base}/backoffice/accedi`);
  const page = await browser.follow(new URL(start.headers.get("location")!), {}, `${h.base}/backoffice/auth/callback`);
  const submit = await browser.post(formAction(await page.response.text(), page.url, "/login"), { username, password });
  expect(submit.status, `login of ${username}`).toBe(303);
  const callback = await browser.follow(
    new URL(submit.headers.get("location")!, page.url),
    {},
    `${h.base}/backoffice/auth/callback`,
  );
  expect((await browser.request(callback.url)).status).toBe(303);
  return browser;
}

/** The session's CSRF token, from the form of any back-office page. */
export const csrfOf = async (browser: TestBrowser, url: string) =>
  /name="_csrf" value="([^"]+)"/.exec(await (await browser.request(url)).text())![1]!;
