import { describe, expect, it } from "vitest";
import { authConfigSchema } from "../../src/auth/auth-config.js";
import { generateFernetKeyText } from "../../src/auth/parse-fernet-key.js";

const validEnv = {
  GITHUB_CLIENT_ID: "Iv1.0123456789abcdef",
  GITHUB_CLIENT_SECRET: "0123456789abcdef0123456789abcdef01234567",
  TOKEN_ENCRYPTION_KEYS: `${generateFernetKeyText()},${generateFernetKeyText()}`,
  PUBLIC_URL: "https://bot.example.com/",
};

function messagesFor(env: Record<string, string | undefined>): string {
  const result = authConfigSchema.safeParse(env);
  return result.success ? "" : result.error.issues.map((issue) => issue.message).join("\n");
}

describe("authConfigSchema", () => {
  it("parses a valid environment with defaults and two keys", () => {
    const config = authConfigSchema.parse(validEnv);
    expect(config.PUBLIC_URL).toBe("https://bot.example.com");
    expect(config.OAUTH_STATE_TTL_SECONDS).toBe(600);
    expect(config.TOKEN_ENCRYPTION_KEYS).toHaveLength(2);
  });

  it.each([
    ["missing", undefined],
    ["not base64url", "hunter2!"],
    ["too short", Buffer.alloc(16).toString("base64url")],
    ["one good, one bad", `${generateFernetKeyText()},nope`],
  ])("stops on a %s TOKEN_ENCRYPTION_KEYS and says how to make a key", (_label, keys) => {
    const messages = messagesFor({ ...validEnv, TOKEN_ENCRYPTION_KEYS: keys });
    expect(messages).toContain("TOKEN_ENCRYPTION_KEYS");
    expect(messages).toContain("npm run generate-key");
    if (keys !== undefined) expect(messages).not.toContain(keys);
  });

  it.each([
    ["GITHUB_CLIENT_ID", { GITHUB_CLIENT_ID: undefined }],
    ["GITHUB_CLIENT_SECRET", { GITHUB_CLIENT_SECRET: "" }],
    ["PUBLIC_URL", { PUBLIC_URL: "bot.example.com" }],
    ["OAUTH_STATE_TTL_SECONDS", { OAUTH_STATE_TTL_SECONDS: "5" }],
  ])("names %s when it is wrong", (name, override) => {
    expect(messagesFor({ ...validEnv, ...override })).toContain(name);
  });
});
