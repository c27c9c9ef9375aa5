import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ensureRequesterToken } from "../../src/auth/ensure-requester-token.js";
import { cookiesOf } from "../../support/cookies.js";
import {
  type AuthKit,
  alice,
  mallory,
  pendingRunFor,
  STATE_TTL_SECONDS,
  startAuthKit,
} from "./start-auth-kit.js";

let kit: AuthKit;
beforeEach(async () => {
  kit = await startAuthKit();
});
afterEach(async () => {
  await kit.close();
});

const askForSignIn = (requester = alice) => kit.askForSignIn(requester);

describe("sign-in link → GitHub → callback", () => {
  it("stores the requester's token, resumes the pending run once, and never asks again", async () => {
    const { pendingRun, signInUrl } = await askForSignIn();
    expect(signInUrl).toMatch(
      new RegExp(`^${kit.publicUrl}/oauth/login\\?state=[A-Za-z0-9_-]{43}$`),
    );

    const { response, authorizeUrl } = await kit.signInThroughLink(signInUrl, alice);
    expect(`${authorizeUrl.origin}${authorizeUrl.pathname}`).toBe(
      `${kit.github.webUrl}/login/oauth/authorize`,
    );
    expect(authorizeUrl.searchParams.get("client_id")).toBe(kit.github.clientId);
    expect(authorizeUrl.searchParams.get("redirect_uri")).toBe(`${kit.publicUrl}/oauth/callback`);
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain("Signed in");
    expect(page).toContain("octo-org/widgets#7");
    expect(kit.resumed).toEqual([pendingRun]);

    const again = await ensureRequesterToken({
      ...kit.userTokenDeps,
      stateStore: kit.stateStore,
      pendingRun: pendingRunFor(alice),
      publicUrl: kit.publicUrl,
    });
    expect(again).toMatchObject({ status: "ready", login: "Alice" });
    expect(kit.github.countCalls("POST", "/login/oauth/access_token")).toBe(1);
    expect(kit.github.countCalls("GET", "/api/v3/user")).toBe(1);
  });

  it("does not attach someone else's token when they open the requester's link", async () => {
    const { signInUrl } = await askForSignIn();
    const { response } = await kit.signInThroughLink(signInUrl, mallory);
    expect(response.status).toBe(403);
    const page = await response.text();
    expect(page).toContain("made for @Alice");
    expect(page).toContain("signed in to GitHub as @mallory");
    expect(kit.resumed).toEqual([]);
    expect(await kit.vault.load(mallory.id)).toBeUndefined();
    expect(await kit.vault.load(alice.id)).toBeUndefined();

    // The link still works for the person it was made for.
    const { response: aliceResponse } = await kit.signInThroughLink(signInUrl, alice);
    expect(aliceResponse.status).toBe(200);
    expect(kit.resumed).toHaveLength(1);
  });

  it("refuses a replayed callback and resumes nothing twice", async () => {
    const { signInUrl } = await askForSignIn();
    const { response, callbackUrl } = await kit.signInThroughLink(signInUrl, alice);
    expect(response.status).toBe(200);

    const replay = await fetch(callbackUrl, { redirect: "manual" });
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain("already been used");
    const relink = await fetch(signInUrl, { redirect: "manual" });
    expect(relink.status).toBe(400);
    expect(kit.resumed).toHaveLength(1);
    expect(kit.github.countCalls("POST", "/login/oauth/access_token")).toBe(1);
  });

  it("refuses an expired state, both on the link and on the callback", async () => {
    const { signInUrl } = await askForSignIn();
    const state = new URL(signInUrl).searchParams.get("state") ?? "";
    kit.clock.now = new Date(kit.clock.now.getTime() + (STATE_TTL_SECONDS + 1) * 1000);

    const link = await fetch(signInUrl, { redirect: "manual" });
    expect(link.status).toBe(400);
    expect(await link.text()).toContain("expired");

    const code = kit.github.authorize(alice);
    const callback = await kit.get(`/oauth/callback?${new URLSearchParams({ code, state })}`);
    expect(callback.status).toBe(400);
    expect(await callback.text()).toContain("expired");
    expect(kit.resumed).toEqual([]);
    expect(kit.github.countCalls("POST", "/login/oauth/access_token")).toBe(0);
  });

  it("refuses a state it never made", async () => {
    const code = kit.github.authorize(alice);
    for (const state of ["x".repeat(43), "not-a-state", ""]) {
      const response = await kit.get(`/oauth/callback?${new URLSearchParams({ code, state })}`);
      expect(response.status).toBe(400);
      expect(await response.text()).toMatch(/not one the bot made|missing its code or state/);
    }
    expect(kit.resumed).toEqual([]);
    expect(kit.github.countCalls("POST", "/login/oauth/access_token")).toBe(0);
  });

  it("keeps the link usable when the requester presses Cancel on GitHub", async () => {
    const { signInUrl } = await askForSignIn();
    const state = new URL(signInUrl).searchParams.get("state") ?? "";
    const cancelled = await kit.get(
      `/oauth/callback?${new URLSearchParams({ error: "access_denied", state })}`,
    );
    expect(cancelled.status).toBe(400);
    expect(await cancelled.text()).toContain("not granted");
    const { response } = await kit.signInThroughLink(signInUrl, alice);
    expect(response.status).toBe(200);
  });

  it("keeps the link usable when GitHub refuses the code, and says so", async () => {
    const { signInUrl } = await askForSignIn();
    const state = new URL(signInUrl).searchParams.get("state") ?? "";
    const cookie = cookiesOf(await kit.get(`/oauth/login?state=${state}`));
    const refused = await fetch(
      `${kit.publicUrl}/oauth/callback?${new URLSearchParams({ code: "stale", state })}`,
      { headers: { cookie } },
    );
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("GitHub refused the sign-in code");
    expect(kit.logLines.join("\n")).not.toContain(kit.github.clientSecret);
    const { response } = await kit.signInThroughLink(signInUrl, alice);
    expect(response.status).toBe(200);
    expect(kit.resumed).toHaveLength(1);
  });

  it("escapes what it echoes into pages", async () => {
    const { signInUrl } = await askForSignIn({ id: alice.id, login: "<script>alert(1)</script>" });
    const { response } = await kit.signInThroughLink(signInUrl, mallory);
    const page = await response.text();
    expect(page).not.toContain("<script>");
    expect(page).toContain("&lt;script&gt;");
  });
});

describe("revoke", () => {
  it("deletes our copy and revokes the grant on GitHub after the user proves who they are", async () => {
    const { signInUrl } = await askForSignIn();
    await kit.signInThroughLink(signInUrl, alice);
    const stored = await kit.vault.load(alice.id);
    expect(stored).toBeDefined();

    const confirm = await kit.get("/oauth/revoke");
    expect(confirm.status).toBe(200);
    const confirmPage = await confirm.text();
    expect(confirmPage).toContain('method="post"');
    const csrf = /name="csrf" value="([^"]+)"/.exec(confirmPage)?.[1] ?? "";
    const cookie = (confirm.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    expect(confirm.headers.get("set-cookie")).toMatch(/HttpOnly; SameSite=Strict/);

    // The same form posted from another site arrives without the SameSite cookie: refused.
    const forged = await fetch(`${kit.publicUrl}/oauth/revoke`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `csrf=${csrf}`,
    });
    expect(forged.status).toBe(403);

    const toGitHub = await fetch(`${kit.publicUrl}/oauth/revoke`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie },
      body: `csrf=${csrf}`,
    });
    expect(toGitHub.status).toBe(303);
    const authorizeUrl = new URL(toGitHub.headers.get("location") ?? "");
    const state = authorizeUrl.searchParams.get("state") ?? "";
    const code = kit.github.authorize(alice);
    // Back in the browser that submitted the form (its binding cookie).
    const done = await fetch(
      `${kit.publicUrl}/oauth/callback?${new URLSearchParams({ code, state })}`,
      {
        redirect: "manual",
        headers: { cookie: cookiesOf(toGitHub) },
      },
    );
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("revoked the bot&#39;s authorisation");

    expect(await kit.vault.load(alice.id)).toBeUndefined();
    expect(
      kit.github.countCalls("DELETE", `/api/v3/applications/${kit.github.clientId}/grant`),
    ).toBe(1);
    // GitHub no longer accepts the token we held: the grant is gone, not just our copy.
    await expect(kit.oauthClient.fetchUser(stored?.accessToken ?? "")).rejects.toThrow(/401/);
    expect(kit.resumed).toHaveLength(1);
  });
});

describe("routing", () => {
  it("answers only under /oauth/ and 404s unknown pages there", async () => {
    expect((await kit.get("/oauth/nope")).status).toBe(404);
    expect((await kit.get("/elsewhere")).status).toBe(404);
    expect((await kit.get("/ping")).status).toBe(200);
  });
});
