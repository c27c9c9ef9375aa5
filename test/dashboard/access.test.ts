import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseFernetKeyList } from "../../src/auth/create-fernet-keyring.js";
import { generateFernetKeyText } from "../../src/auth/parse-fernet-key.js";
import { createSessionCookies, SESSION_COOKIE } from "../../src/auth/session-cookie.js";
import {
  alice,
  CookieJar,
  type DashboardKit,
  mallory,
  OWNER,
  REPO,
  startDashboardKit,
} from "./start-dashboard-kit.js";

const FEED = `/dashboard/${OWNER}/${REPO}/feed`;
let kit: DashboardKit;

beforeEach(async () => {
  kit = await startDashboardKit();
});

afterEach(async () => {
  await kit.close();
});

/** Signs `person` in through the sign-in flow, as a browser would, and returns the jar. */
async function signIn(person: typeof alice, path = FEED) {
  kit.signInToGitHubAs(person);
  const jar = new CookieJar(kit.origin);
  const landed = await jar.browse(`${kit.origin}${path}`);
  return { jar, ...landed };
}

describe("dashboard access", () => {
  it("sends someone who is not signed in to sign in, and back to the page they asked for", async () => {
    const first = await fetch(`${kit.origin}${FEED}?page=1`, { redirect: "manual" });
    expect(first.status).toBe(302);
    expect(first.headers.get("location")).toBe(
      `/dashboard/sign-in?next=${encodeURIComponent(`${FEED}?page=1`)}`,
    );

    const { response, url, hops } = await signIn(alice, `${FEED}?page=1`);
    expect(hops[1]).toMatch(new RegExp(`^${kit.github.origin}/login/oauth/authorize\\?`));
    expect(hops[2]).toMatch(new RegExp(`^${kit.origin}/oauth/callback\\?code=`));
    expect(url).toBe(`${kit.origin}${FEED}?page=1`);
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain(`${OWNER}/${REPO}`);
    expect(page).toContain("@alice");
    for (const token of kit.issuedTokens()) expect(page).not.toContain(token);
    expect(kit.github.violations).toEqual([]);
  });

  it("sets a session cookie that is HttpOnly, SameSite=Lax, signed and expiring", async () => {
    const { jar } = await signIn(alice);
    const line = jar.setCookieLines.find((cookie) => cookie.startsWith(`${SESSION_COOKIE}=`));
    expect(line).toMatch(/; HttpOnly/);
    expect(line).toMatch(/; SameSite=Lax/);
    expect(line).toMatch(/; Path=\//);
    expect(line).toMatch(/; Max-Age=28800/);
    // PUBLIC_URL is http here, so not Secure (a browser would drop it); https: below.
    expect(line).not.toMatch(/Secure/);
    expect(jar.cookies.get(SESSION_COOKIE)).toMatch(/^v1\.[\w-]+\.[\w-]{43}$/);
  });

  it("marks the cookie Secure when PUBLIC_URL is https, and stops honouring it after it expires", () => {
    const clock = { now: new Date("2026-11-29T12:00:00Z") };
    const sessions = createSessionCookies({
      keys: parseFernetKeyList(generateFernetKeyText()),
      publicUrl: "https://bot.example.com",
      now: () => clock.now,
    });
    const line = sessions.issue({ id: 7, login: "alice" });
    expect(line).toMatch(/; Secure$/);
    const cookie = line.split(";")[0];
    expect(sessions.read(cookie)?.login).toBe("alice");
    clock.now = new Date("2026-11-29T20:00:01Z");
    expect(sessions.read(cookie)).toBeUndefined();
  });

  it("answers 404, not 403, to someone signed in who cannot read the repository", async () => {
    const { response, url } = await signIn(mallory);
    expect(url).toBe(`${kit.origin}${FEED}`);
    expect(response.status).toBe(404);
    const page = await response.text();
    expect(page).toContain("Not found");
    expect(page).not.toContain("Feed");
    const jar = new CookieJar(kit.origin);
    for (const path of ["personas", "runs", "feed.atom"]) {
      kit.signInToGitHubAs(mallory);
      const other = await jar.browse(`${kit.origin}/dashboard/${OWNER}/${REPO}/${path}`);
      expect(other.response.status).toBe(404);
    }
    const home = await jar.browse(`${kit.origin}/dashboard`);
    expect(await home.response.text()).toContain("None: the bot is not installed");
  });

  it("asks GitHub once per person and repository while the answer is cached", async () => {
    const { jar } = await signIn(alice);
    await jar.browse(`${kit.origin}/dashboard/${OWNER}/${REPO}/runs`);
    await jar.browse(`${kit.origin}/dashboard/${OWNER}/${REPO}/personas`);
    expect(kit.github.calls("GET /repos/{owner}/{repo}")).toHaveLength(1);
    const unknown = await jar.browse(`${kit.origin}/dashboard/${OWNER}/nothing-here/feed`);
    expect(unknown.response.status).toBe(404);
  });

  it("treats a tampered cookie as signed out, and clears it", async () => {
    const { jar } = await signIn(mallory);
    const [version, body, signature] = (jar.cookies.get(SESSION_COOKIE) ?? "").split(".");
    const claims = JSON.parse(Buffer.from(body ?? "", "base64url").toString("utf8"));
    const forged = Buffer.from(
      JSON.stringify({ ...claims, userId: alice.id, login: alice.login }),
    ).toString("base64url");
    const response = await fetch(`${kit.origin}${FEED}`, {
      redirect: "manual",
      headers: { cookie: `${SESSION_COOKIE}=${version}.${forged}.${signature}` },
    });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toMatch(/^\/dashboard\/sign-in\?next=/);
    expect(response.headers.getSetCookie().join("\n")).toMatch(
      new RegExp(`^${SESSION_COOKIE}=; .*Max-Age=0`, "m"),
    );
  });

  it("refuses a sign-in finished in another browser than the one that started it", async () => {
    kit.signInToGitHubAs(mallory);
    const attacker = new CookieJar(kit.origin);
    const started = await fetch(`${kit.origin}/dashboard/sign-in?next=${FEED}`, {
      redirect: "manual",
    });
    attacker.take(started);
    const toGitHub = await fetch(started.headers.get("location") ?? "", { redirect: "manual" });
    const callback = toGitHub.headers.get("location") ?? "";
    // The victim's browser opens the attacker's callback link: no binding cookie, no session.
    const victim = new CookieJar(kit.origin);
    const { response } = await victim.browse(callback);
    expect(response.status).toBe(400);
    expect(victim.cookies.has(SESSION_COOKIE)).toBe(false);
  });

  it("signs out with a POST from its own form (test/dashboard/sign-out.test.ts)", async () => {
    const { jar, response } = await signIn(alice);
    const csrf = /name="csrf" value="([^"]+)"/.exec(await response.text())?.[1] ?? "";
    const out = {
      response: await fetch(`${kit.origin}/dashboard/sign-out`, {
        method: "POST",
        headers: { cookie: jar.header(), "content-type": "application/x-www-form-urlencoded" },
        body: `csrf=${csrf}`,
      }),
    };
    jar.take(out.response);
    expect(out.response.status).toBe(200);
    expect(jar.cookies.has(SESSION_COOKIE)).toBe(false);
    const again = await fetch(`${kit.origin}${FEED}`, { redirect: "manual" });
    expect(again.status).toBe(302);
  });
});
