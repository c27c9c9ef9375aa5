import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config/config-error.js";
import { readWebhookSecret } from "../../src/start/read-webhook-secret.js";
import { testDeploymentEnv } from "../../support/app-harness.js";
import { freePort, serverProcessEnv, spawnNpm } from "../../support/spawn-process.js";
import { testPrivateKey } from "../../support/webhooks.js";

/**
 * Without WEBHOOK_SECRET, Probot verifies webhooks against the well-known secret "development":
 * anyone could forge deliveries. The server refuses to start without a secret unless the
 * operator explicitly chose development mode (DEVELOPMENT_MODE=true), and never in production.
 */
describe("readWebhookSecret", () => {
  it("returns the secret when it is set", () => {
    expect(readWebhookSecret({ WEBHOOK_SECRET: "s3cret" })).toEqual({
      secret: "s3cret",
      development: false,
    });
  });

  it.each([
    ["unset", {}],
    ["empty", { WEBHOOK_SECRET: "" }],
    ["empty, NODE_ENV=development", { WEBHOOK_SECRET: "", NODE_ENV: "development" }],
    [
      "unset in production even with DEVELOPMENT_MODE",
      { NODE_ENV: "production", DEVELOPMENT_MODE: "true" },
    ],
  ])("refuses a secret that is %s, naming WEBHOOK_SECRET", (_label, env) => {
    expect(() => readWebhookSecret(env)).toThrow(ConfigError);
    expect(() => readWebhookSecret(env)).toThrow(/WEBHOOK_SECRET/);
  });

  it("falls back to Probot's development secret only with DEVELOPMENT_MODE=true", () => {
    expect(readWebhookSecret({ DEVELOPMENT_MODE: "true" })).toEqual({
      secret: "development",
      development: true,
    });
    expect(() => readWebhookSecret({ DEVELOPMENT_MODE: "yes please" })).toThrow(/DEVELOPMENT_MODE/);
  });
});

describe("npm start without WEBHOOK_SECRET", () => {
  const start = async (env: Record<string, string>) => {
    const port = await freePort();
    return spawnNpm("start", {
      ...serverProcessEnv({
        githubHost: "127.0.0.1:9",
        port,
        queuePrefix: "webhook-secret-test",
        privateKey: testPrivateKey(),
        webhookSecret: "",
        deploymentEnv: testDeploymentEnv(`http://127.0.0.1:${port}`),
      }),
      NODE_ENV: "",
      ...env,
    });
  };

  it("refuses to start, and says how to fix it", async () => {
    const server = await start({});
    const code = await new Promise<number | null>((resolve) => {
      if (server.child.exitCode !== null) resolve(server.child.exitCode);
      server.child.on("exit", resolve);
      // A server that starts instead never exits by itself.
      server.waitForOutput(/Listening on/, 30_000).then(
        () => resolve(-1),
        () => undefined,
      );
    });
    expect(code).toBe(78);
    expect(server.output()).toContain("WEBHOOK_SECRET");
    expect(server.output()).toContain("DEVELOPMENT_MODE=true");
  }, 40_000);

  it("starts with DEVELOPMENT_MODE=true, warning that webhooks are not authenticated", async () => {
    const server = await start({ DEVELOPMENT_MODE: "true" });
    try {
      await server.waitForOutput(/Listening on/, 30_000);
      expect(server.output()).toContain("DEVELOPMENT_MODE");
    } finally {
      await server.stop();
    }
  }, 40_000);
});
