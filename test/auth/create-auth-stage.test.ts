import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { authConfigSchema } from "../../src/auth/auth-config.js";
import { createAuthStage } from "../../src/auth/create-auth-stage.js";
import { generateFernetKeyText } from "../../src/auth/parse-fernet-key.js";
import { connectTestRedis, deleteKeys } from "../../support/redis.js";
import { alice, pendingRunFor } from "./start-auth-kit.js";

it("wires from parsed env: a first run gets a sign-in link on PUBLIC_URL", async () => {
  const redis = await connectTestRedis();
  const keyPrefix = `test-auth-stage-${randomUUID()}:`;
  try {
    const stage = createAuthStage({
      config: authConfigSchema.parse({
        GITHUB_CLIENT_ID: "Iv1.stage",
        GITHUB_CLIENT_SECRET: "stage-secret",
        TOKEN_ENCRYPTION_KEYS: generateFernetKeyText(),
        PUBLIC_URL: "https://bot.example.com/",
      }),
      redis,
      keyPrefix,
    });
    const outcome = await stage.ensureRequesterToken(pendingRunFor(alice));
    expect(outcome).toMatchObject({ status: "needs-authorisation" });
    if (outcome.status === "needs-authorisation") {
      expect(outcome.signInUrl).toMatch(/^https:\/\/bot\.example\.com\/oauth\/login\?state=/);
    }
  } finally {
    await deleteKeys(redis, `${keyPrefix}*`);
    redis.disconnect();
  }
});
