import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cookiesOf } from "../../support/cookies.js";
import { type AuthKit, alice, mallory, startAuthKit } from "./start-auth-kit.js";

/**
 * Every OAuth state is bound to the browser that started it: a GitHub authorise URL (or the
 * callback it leads to) made in one browser does nothing when another browser finishes it.
 * Otherwise an attacker starts a flow, keeps GitHub's authorise URL and sends it to a victim,
 * whom GitHub redirects straight back (they authorised the app before) with *their* code.
 */
let kit: AuthKit;
beforeEach(async () => {
  kit = await startAuthKit();
});
afterEach(async () => {
  await kit.close();
});

async function signInAlice() {
  const { signInUrl } = await kit.askForSignIn(alice);
  const { response } = await kit.signInThroughLink(signInUrl, alice);
  expect(response.status).toBe(200);
  expect(await kit.vault.load(alice.id)).toBeDefined();
}

/** Submits the revoke form in a fresh browser: GitHub's authorise URL and that browser's cookies. */
async function startRevoke(): Promise<{ authorizeUrl: URL; cookie: string }> {
  const confirm = await kit.get("/oauth/revoke");
  const csrf = /name="csrf" value="([^"]+)"/.exec(await confirm.text())?.[1] ?? "";
  const csrfCookie = cookiesOf(confirm);
  const submitted = await fetch(`${kit.publicUrl}/oauth/revoke`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookie },
    body: `csrf=${csrf}`,
  });
  expect(submitted.status).toBe(303);
  return {
    authorizeUrl: new URL(submitted.headers.get("location") ?? ""),
    cookie: [csrfCookie, cookiesOf(submitted)].filter(Boolean).join("; "),
  };
}

/** What GitHub does for `user` on `authorizeUrl`: back to the callback with their code. */
function callbackFor(authorizeUrl: URL, user: { id: number; login: string }): string {
  const code = kit.github.authorize(user);
  const state = authorizeUrl.searchParams.get("state") ?? "";
  return `${authorizeUrl.searchParams.get("redirect_uri")}?${new URLSearchParams({ code, state })}`;
}

describe("OAuth state bound to the starting browser", () => {
  it("revoke: an authorise URL the attacker started deletes nothing when the victim follows it", async () => {
    await signInAlice();
    // Mallory submits the revoke form in her own browser and keeps GitHub's authorise URL ...
    const attacker = await startRevoke();
    // ... which Alice's browser opens; GitHub sends her straight back with her code.
    const victim = await fetch(callbackFor(attacker.authorizeUrl, alice), { redirect: "manual" });
    expect(victim.status).toBe(400);
    expect(await victim.text()).toContain("started in another browser");
    expect(await kit.vault.load(alice.id)).toBeDefined();
    expect(
      kit.github.countCalls("DELETE", `/api/v3/applications/${kit.github.clientId}/grant`),
    ).toBe(0);
    // No code was exchanged: the victim's grant was never touched.
    expect(kit.github.countCalls("POST", "/login/oauth/access_token")).toBe(1);
  });

  it("revoke: still works in the browser that submitted the form", async () => {
    await signInAlice();
    const own = await startRevoke();
    const done = await fetch(callbackFor(own.authorizeUrl, alice), {
      redirect: "manual",
      headers: { cookie: own.cookie },
    });
    expect(done.status).toBe(200);
    expect(await kit.vault.load(alice.id)).toBeUndefined();
  });

  it("run sign-in: GitHub's authorise URL from someone else's browser stores nothing", async () => {
    const { signInUrl } = await kit.askForSignIn(alice);
    // Mallory opens the link posted in the pull request and keeps where it sends her.
    const toGitHub = await fetch(signInUrl, { redirect: "manual" });
    const authorizeUrl = new URL(toGitHub.headers.get("location") ?? "");
    const bindingCookie = toGitHub.headers.getSetCookie().join("\n");
    expect(bindingCookie).toMatch(/HttpOnly/);
    expect(bindingCookie).toMatch(/SameSite=Lax/);

    const victim = await fetch(callbackFor(authorizeUrl, alice), { redirect: "manual" });
    expect(victim.status).toBe(400);
    expect(await victim.text()).toContain("started in another browser");
    expect(await kit.vault.load(alice.id)).toBeUndefined();
    expect(kit.resumed).toEqual([]);

    // The link still works for Alice in her own browser.
    const { response } = await kit.signInThroughLink(signInUrl, alice);
    expect(response.status).toBe(200);
    expect(kit.resumed).toHaveLength(1);
  });

  it("run sign-in: opening the link again in another browser moves the binding there", async () => {
    const { signInUrl } = await kit.askForSignIn(alice);
    const first = await fetch(signInUrl, { redirect: "manual" });
    const firstCookie = cookiesOf(first);
    // Alice opens the same link on her other machine and signs in there.
    const { response } = await kit.signInThroughLink(signInUrl, alice);
    expect(response.status).toBe(200);
    // The first browser's cookie no longer matches anything (and the state is used).
    const authorizeUrl = new URL(first.headers.get("location") ?? "");
    const stale = await fetch(callbackFor(authorizeUrl, mallory), {
      redirect: "manual",
      headers: { cookie: firstCookie },
    });
    expect(stale.status).toBe(400);
    expect(await kit.vault.load(mallory.id)).toBeUndefined();
  });
});
