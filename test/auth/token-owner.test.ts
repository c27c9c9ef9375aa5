import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ensureRequesterToken } from "../../src/auth/ensure-requester-token.js";
import { getFreshUserToken } from "../../src/auth/get-fresh-user-token.js";
import { type AuthKit, alice, mallory, pendingRunFor, startAuthKit } from "./start-auth-kit.js";

/**
 * A stored token is used for the person it is filed under only if it is theirs: the record the
 * vault decrypts names the GitHub user the token was issued to (read from GET /user with that
 * very token when it was stored), and it must be the user whose key it sits under. Otherwise
 * one person's runs could read with another person's access: a pair copied between keys (by
 * anyone who can write to Redis, or a bug that files it wrongly) is encrypted and authentic,
 * just not theirs.
 */
let kit: AuthKit;
beforeEach(async () => {
  kit = await startAuthKit();
});
afterEach(async () => {
  await kit.close();
});

const keyOf = (userId: number) => `${kit.keyPrefix}auth:user-token:${userId}`;

async function signIn(user: { id: number; login: string }) {
  const { signInUrl } = await kit.askForSignIn(user);
  const { response } = await kit.signInThroughLink(signInUrl, user);
  expect(response.status).toBe(200);
}

describe("a stored token filed under another user", () => {
  it("is never handed out for that user: they are asked to sign in, and the copy is deleted", async () => {
    await signIn(alice);
    const alicesPair = await kit.vault.load(alice.id);
    // Alice's sealed pair, copied under Mallory's key.
    await kit.redis.set(keyOf(mallory.id), (await kit.redis.get(keyOf(alice.id))) ?? "");

    const outcome = await ensureRequesterToken({
      ...kit.userTokenDeps,
      stateStore: kit.stateStore,
      pendingRun: pendingRunFor(mallory),
      publicUrl: kit.publicUrl,
    });
    expect(outcome.status).toBe("needs-authorisation");
    expect(JSON.stringify(outcome)).not.toContain(alicesPair?.accessToken);
    expect(await kit.redis.exists(keyOf(mallory.id))).toBe(0);
    expect(await getFreshUserToken({ ...kit.userTokenDeps, userId: mallory.id })).toMatchObject({
      status: "needs-authorisation",
    });

    // Alice's own pair is untouched and still hers.
    expect(await kit.vault.load(alice.id)).toEqual(alicesPair);
  });
});
