import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SESSION_COOKIE } from "../../src/auth/session-cookie.js";
import {
  alice,
  CookieJar,
  type DashboardKit,
  mallory,
  OWNER,
  REPO,
  startDashboardKit,
} from "./start-dashboard-kit.js";

/**
 * Sign-out is a POST from the dashboard's own form, with an anti-forgery token tied to the
 * session: another site's form (which can make the browser POST, and whose response could
 * clear the cookie) cannot sign anyone out.
 */
const FEED = `/dashboard/${OWNER}/${REPO}/feed`;
let kit: DashboardKit;

beforeEach(async () => {
  kit = await startDashboardKit();
});
afterEach(async () => {
  await kit.close();
});

async function signedIn(person = alice) {
  kit.signInToGitHubAs(person);
  const jar = new CookieJar(kit.origin);
  const { response } = await jar.browse(`${kit.origin}${FEED}`);
  const page = await response.text();
  const token =
    /action="\/dashboard\/sign-out"><input type="hidden" name="csrf" value="([^"]+)"/.exec(
      page,
    )?.[1];
  return { jar, token };
}

const signOut = (jar: CookieJar, body: string) =>
  fetch(`${kit.origin}/dashboard/sign-out`, {
    method: "POST",
    redirect: "manual",
    headers: { cookie: jar.header(), "content-type": "application/x-www-form-urlencoded" },
    body,
  });

describe("sign-out", () => {
  it("puts a per-session token in the sign-out form", async () => {
    const first = await signedIn(alice);
    const second = await signedIn(mallory);
    expect(first.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(second.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.token).not.toBe(second.token);
  });

  it("refuses a POST without the form's token, and the session stays", async () => {
    const { jar, token } = await signedIn();
    for (const body of ["", "csrf=", `csrf=${"A".repeat(43)}`]) {
      const forged = await signOut(jar, body);
      expect(forged.status).toBe(403);
      expect(forged.headers.getSetCookie().join("\n")).not.toContain(`${SESSION_COOKIE}=;`);
    }
    // Another session's token does not sign this one out either.
    const other = await signedIn(mallory);
    expect((await signOut(jar, `csrf=${other.token}`)).status).toBe(403);
    expect((await jar.browse(`${kit.origin}${FEED}`)).response.status).toBe(200);
    expect(token).toBeDefined();
  });

  it("signs out with the form's token", async () => {
    const { jar, token } = await signedIn();
    const out = await signOut(jar, `csrf=${token}`);
    expect(out.status).toBe(200);
    jar.take(out);
    expect(jar.cookies.has(SESSION_COOKIE)).toBe(false);
    const again = await fetch(`${kit.origin}${FEED}`, {
      redirect: "manual",
      headers: { cookie: jar.header() },
    });
    expect(again.status).toBe(302);
  });
});
