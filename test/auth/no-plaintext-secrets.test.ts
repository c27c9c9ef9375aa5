import { afterEach, beforeEach, expect, it } from "vitest";
import { getFreshUserToken } from "../../src/auth/get-fresh-user-token.js";
import { readEveryValue } from "../support/read-every-value.js";
import { type AuthKit, alice, startAuthKit } from "./start-auth-kit.js";

let kit: AuthKit;
beforeEach(async () => {
  kit = await startAuthKit();
});
afterEach(async () => {
  await kit.close();
});

it("leaves no plaintext token, refresh token, client secret or key in Redis or the logs", async () => {
  const { signInUrl } = await kit.askForSignIn(alice);
  const { response, callbackUrl } = await kit.signInThroughLink(signInUrl, alice);
  expect(response.status).toBe(200);
  // A refresh too, so both generations of the pair are covered.
  kit.clock.now = new Date(kit.clock.now.getTime() + 8 * 60 * 60 * 1000);
  expect((await getFreshUserToken({ ...kit.userTokenDeps, userId: alice.id })).status).toBe(
    "ready",
  );
  expect(kit.github.countCalls("POST", "/login/oauth/access_token", "refresh_token")).toBe(1);

  const callback = new URL(callbackUrl);
  const secrets = [
    ...kit.github.issuedSecrets(),
    kit.github.clientSecret,
    kit.keyText,
    kit.keyText.replace(/=+$/, ""),
    Buffer.from(kit.keyText, "base64url").toString("hex"),
    Buffer.from(kit.keyText, "base64url").toString("base64"),
  ];
  expect(kit.github.issuedSecrets()).toHaveLength(4);
  // The sign-in code and the state are short-lived secrets too: keep them out of the logs.
  const urlSecrets = [
    callback.searchParams.get("code") ?? "",
    callback.searchParams.get("state") ?? "",
  ];

  const redisTexts = await readEveryValue(kit.redis, `${kit.keyPrefix}*`);
  expect(redisTexts.length).toBeGreaterThanOrEqual(4);
  expect(kit.logLines.length).toBeGreaterThan(3);
  // Probot's access log saw the callback, without its query string.
  expect(kit.logLines.some((line) => line.includes("GET /oauth/callback 200"))).toBe(true);

  for (const secret of secrets) {
    for (const text of [...redisTexts, ...kit.logLines]) expect(text).not.toContain(secret);
  }
  for (const secret of urlSecrets) {
    for (const line of kit.logLines) expect(line).not.toContain(secret);
  }
});
