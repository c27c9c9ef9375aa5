import { describe, expect, it } from "vitest";
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

  it("has no credentials without APP_ID or a key", () => {
    expect(readAppCredentials({ PRIVATE_KEY: pem })).toBeUndefined();
    expect(readAppCredentials({ APP_ID: "7" })).toBeUndefined();
  });
});
