import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config/config-error.js";
import { readAppCredentials } from "../../src/start/read-app-credentials.js";
import { testPrivateKey } from "../../support/webhooks.js";

describe("readAppCredentials", () => {
  const pem = testPrivateKey();
  const escaped = pem.replace(/\n/g, "\\n");

  it.each([
    ["as Node's loadEnvFile reads .env", pem],
    ["with \\n escapes", escaped],
    // `docker run --env-file .env` and compose v1's env_file keep the quotes of the .env line.
    ["with the double quotes docker --env-file keeps", `"${escaped}"`],
    ["with single quotes kept", `'${escaped}'`],
  ])("reads PRIVATE_KEY %s", (_label, value) => {
    expect(readAppCredentials({ APP_ID: "7", PRIVATE_KEY: value })).toEqual({
      appId: 7,
      privateKey: pem,
    });
  });
});

describe("readAppCredentials with credentials partly set", () => {
  const pem = testPrivateKey();
  const problemOf = (env: NodeJS.ProcessEnv): string => {
    try {
      readAppCredentials(env);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
    throw new Error("expected a ConfigError");
  };

  it("is registration mode (undefined) only when none of the app's variables is set", () => {
    expect(readAppCredentials({})).toBeUndefined();
    expect(
      readAppCredentials({ APP_ID: "", PRIVATE_KEY: "", PRIVATE_KEY_PATH: "", WEBHOOK_SECRET: "" }),
    ).toBeUndefined();
  });

  it("names PRIVATE_KEY when it is not a PEM key, without quoting it", () => {
    const message = problemOf({ APP_ID: "7", PRIVATE_KEY: "not-a-key-but-a-secret-value" });
    expect(message).toContain("PRIVATE_KEY");
    expect(message).not.toContain("not-a-key-but-a-secret-value");
  });

  it("names PRIVATE_KEY when the PEM is damaged", () => {
    const lines = pem.split("\n");
    const damaged = [lines[0], lines[1], lines.at(-2), lines.at(-1)].join("\n");
    const message = problemOf({ APP_ID: "7", PRIVATE_KEY: damaged });
    expect(message).toContain("PRIVATE_KEY");
    expect(message).not.toContain(lines[1]);
  });

  it("names PRIVATE_KEY_PATH when the file cannot be read", () => {
    const message = problemOf({ APP_ID: "7", PRIVATE_KEY_PATH: "/nonexistent/app.pem" });
    expect(message).toContain("PRIVATE_KEY_PATH=/nonexistent/app.pem");
  });

  it("names the missing key when only APP_ID is set, and APP_ID when only the key is", () => {
    expect(problemOf({ APP_ID: "7" })).toMatch(/PRIVATE_KEY_PATH|PRIVATE_KEY/);
    expect(problemOf({ PRIVATE_KEY: pem })).toContain("APP_ID");
    expect(problemOf({ APP_ID: "seven", PRIVATE_KEY: pem })).toContain("APP_ID");
  });

  it("names APP_ID when only the other app variables are set", () => {
    const message = problemOf({ WEBHOOK_SECRET: "s", GITHUB_CLIENT_SECRET: "c" });
    expect(message).toContain("APP_ID");
    expect(message).toContain("WEBHOOK_SECRET");
  });
});
