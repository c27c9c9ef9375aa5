import { expect, it } from "vitest";
import { buildSignInMessage } from "../../src/auth/build-sign-in-message.js";

it("addresses the requester by name, links the sign-in and does not ping the reviewer", () => {
  const message = buildSignInMessage({
    requesterLogin: "alice",
    reviewerLogin: "bob",
    signInUrl: "https://bot.example.com/oauth/login?state=abc",
    linkTtlSeconds: 600,
  });
  expect(message.startsWith("@alice,")).toBe(true);
  expect(message).toContain("[Sign in with GitHub](https://bot.example.com/oauth/login?state=abc)");
  expect(message).toContain("10 minutes");
  expect(message).toContain("`bob`");
  expect(message).not.toContain("@bob");
});
