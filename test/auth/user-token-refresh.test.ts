import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  ensureRequesterToken,
  handleRejectedUserToken,
} from "../../src/auth/ensure-requester-token.js";
import { getFreshUserToken } from "../../src/auth/get-fresh-user-token.js";
import { type AuthKit, alice, pendingRunFor, startAuthKit } from "./start-auth-kit.js";

const EIGHT_HOURS_MS = 8 * 60 * 60 * 1000;

let kit: AuthKit;
beforeEach(async () => {
  kit = await startAuthKit();
});
afterEach(async () => {
  await kit.close();
});

/** Alice signs in through the real flow, so the stored pair is one the stand-in issued. */
async function signInAlice() {
  const { pendingRun, signInUrl } = await kit.askForSignIn(alice);
  const { response } = await kit.signInThroughLink(signInUrl, alice);
  expect(response.status).toBe(200);
  const stored = await kit.vault.load(alice.id);
  if (stored === undefined) throw new Error("sign-in stored nothing");
  return { pendingRun, stored };
}

describe("refresh on expiry", () => {
  it("lets one of two concurrent callers refresh; both get the new pair", async () => {
    const { stored } = await signInAlice();
    kit.clock.now = new Date(kit.clock.now.getTime() + EIGHT_HOURS_MS);

    const [first, second] = await Promise.all([
      getFreshUserToken({ ...kit.userTokenDeps, userId: alice.id }),
      getFreshUserToken({ ...kit.userTokenDeps, userId: alice.id }),
    ]);

    expect(kit.github.countCalls("POST", "/login/oauth/access_token", "refresh_token")).toBe(1);
    expect(first.status).toBe("ready");
    expect(second).toEqual(first);
    const refreshed = await kit.vault.load(alice.id);
    expect(refreshed?.accessToken).not.toBe(stored.accessToken);
    expect(refreshed?.refreshToken).not.toBe(stored.refreshToken);
    // The new pair is one GitHub accepts.
    expect(await kit.oauthClient.fetchUser(refreshed?.accessToken ?? "")).toMatchObject(alice);
  });

  it("does not refresh a token that is still fresh", async () => {
    await signInAlice();
    const outcome = await getFreshUserToken({ ...kit.userTokenDeps, userId: alice.id });
    expect(outcome.status).toBe("ready");
    expect(kit.github.countCalls("POST", "/login/oauth/access_token", "refresh_token")).toBe(0);
  });

  it("deletes the pair and asks again when GitHub refuses the refresh token", async () => {
    const { stored } = await signInAlice();
    // Spend the refresh token behind our back (e.g. a restored Redis backup with an old pair).
    await kit.oauthClient.refresh(stored.refreshToken ?? "");
    kit.clock.now = new Date(kit.clock.now.getTime() + EIGHT_HOURS_MS);

    const outcome = await ensureRequesterToken({
      ...kit.userTokenDeps,
      stateStore: kit.stateStore,
      pendingRun: pendingRunFor(alice),
      publicUrl: kit.publicUrl,
    });
    expect(outcome.status).toBe("needs-authorisation");
    expect(await kit.vault.load(alice.id)).toBeUndefined();
  });

  it("asks again without calling GitHub when the refresh token itself has expired", async () => {
    await signInAlice();
    kit.clock.now = new Date(kit.clock.now.getTime() + 200 * 24 * 60 * 60 * 1000);
    const outcome = await getFreshUserToken({ ...kit.userTokenDeps, userId: alice.id });
    expect(outcome).toEqual({ status: "needs-authorisation", reason: "refresh-expired" });
    expect(kit.github.countCalls("POST", "/login/oauth/access_token", "refresh_token")).toBe(0);
  });
});

describe("401 with the user token", () => {
  it("deletes the stored pair and returns a fresh sign-in link for the same run", async () => {
    const { stored } = await signInAlice();
    kit.github.revokeAccessToken(stored.accessToken);
    await expect(kit.oauthClient.fetchUser(stored.accessToken)).rejects.toThrow(/401/);

    const pendingRun = pendingRunFor(alice);
    const outcome = await handleRejectedUserToken({
      ...kit.userTokenDeps,
      stateStore: kit.stateStore,
      pendingRun,
      publicUrl: kit.publicUrl,
      rejectedAccessToken: stored.accessToken,
    });
    expect(outcome.status).toBe("needs-authorisation");
    expect(await kit.vault.load(alice.id)).toBeUndefined();

    if (outcome.status !== "needs-authorisation") return;
    const { response } = await kit.signInThroughLink(outcome.signInUrl, alice);
    expect(response.status).toBe(200);
    expect(kit.resumed.at(-1)).toEqual(pendingRun);
  });

  it("keeps a pair another worker refreshed meanwhile and hands that one out", async () => {
    const { stored } = await signInAlice();
    kit.clock.now = new Date(kit.clock.now.getTime() + EIGHT_HOURS_MS);
    const refreshed = await getFreshUserToken({ ...kit.userTokenDeps, userId: alice.id });
    if (refreshed.status !== "ready") throw new Error("refresh failed");

    const outcome = await handleRejectedUserToken({
      ...kit.userTokenDeps,
      stateStore: kit.stateStore,
      pendingRun: pendingRunFor(alice),
      publicUrl: kit.publicUrl,
      rejectedAccessToken: stored.accessToken,
    });
    expect(outcome).toMatchObject({ status: "ready", accessToken: refreshed.token.accessToken });
  });
});
