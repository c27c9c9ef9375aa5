import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isLocalRequest } from "../../src/register/guard-registration.js";
import { renderRegisteredPage } from "../../src/register/render-registration-page.js";
import { cookiesOf } from "../../support/cookies.js";
import { type FakeGitHub, startFakeGitHub } from "../../support/fake-github.js";
import { freePort, type SpawnedProcess, spawnNpm } from "../../support/spawn-process.js";
import { eventually, testPrivateKey } from "../../support/webhooks.js";

/**
 * Registration mode writes the GitHub App's credentials into .env from whatever manifest code
 * reaches /probot/setup. So `npm start` enters it only when no app variable is set at all (a
 * broken key stops it instead), and serves it only to this machine, or to a browser that opened
 * the one-time address printed in the server's log.
 */
let dir: string;
let envPath: string;
let github: FakeGitHub;
const started: SpawnedProcess[] = [];
const CONVERSIONS = "POST /app-manifests/{code}/conversions";

function startServer(env: Record<string, string>) {
  const server = spawnNpm("start", {
    DOTENV_CONFIG_PATH: envPath,
    HOST: "127.0.0.1",
    LOG_FORMAT: "json",
    APP_ID: "",
    PRIVATE_KEY: "",
    PRIVATE_KEY_PATH: "",
    WEBHOOK_SECRET: "",
    GITHUB_CLIENT_ID: "",
    GITHUB_CLIENT_SECRET: "",
    WEBHOOK_PROXY_URL: "",
    GHE_HOST: github.host,
    GHE_PROTOCOL: "http",
    ...env,
  });
  started.push(server);
  return server;
}

/** Waits for the process to exit and returns its code (or fails if it starts serving). */
async function exitCodeOf(server: SpawnedProcess): Promise<number | null> {
  const deadline = Date.now() + 30_000;
  while (server.child.exitCode === null) {
    if (server.output().includes("No GitHub App yet"))
      throw new Error("it started registration mode");
    if (Date.now() > deadline)
      throw new Error(`it neither exited nor registered:\n${server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return server.child.exitCode;
}

beforeAll(async () => {
  github = await startFakeGitHub();
  github.on(CONVERSIONS, {
    status: 201,
    body: {
      id: 4343,
      slug: "tech-lead-bot",
      html_url: "https://github.example/apps/tech-lead-bot",
      client_id: "Iv1.guardtest",
      client_secret: "guard-test-client-secret",
      webhook_secret: "guard-test-webhook-secret",
      pem: testPrivateKey(),
    },
  });
  dir = mkdtempSync(join(tmpdir(), "registration-guard-"));
  envPath = join(dir, ".env");
  copyFileSync(".env.example", envPath);
});

afterAll(async () => {
  for (const server of started) await server.stop();
  await github.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("npm start with the app's credentials partly set", () => {
  it.each([
    ["a malformed PRIVATE_KEY", { APP_ID: "7", PRIVATE_KEY: "garbage-not-a-pem" }, "PRIVATE_KEY"],
    [
      "an unreadable PRIVATE_KEY_PATH",
      { APP_ID: "7", PRIVATE_KEY_PATH: "/nonexistent/app.pem" },
      "PRIVATE_KEY_PATH=/nonexistent/app.pem",
    ],
    ["APP_ID without a key", { APP_ID: "7", WEBHOOK_SECRET: "s" }, "PRIVATE_KEY"],
  ])(
    "stops with a message naming the variable: %s",
    async (_label, env, named) => {
      const server = startServer({ ...env, PORT: String(await freePort()) });
      expect(await exitCodeOf(server)).toBe(78);
      expect(server.output()).toContain(named);
      expect(server.output()).not.toContain("garbage-not-a-pem");
    },
    40_000,
  );
});

describe("registration mode", () => {
  it("serves this machine, but a proxied or remote browser only with the printed one-time key", async () => {
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const server = startServer({ PORT: String(port), PUBLIC_URL: "https://bot.example.com" });
    await server.waitForOutput(/No GitHub App yet/, 30_000);
    // A request through a reverse proxy comes from elsewhere, whatever the socket says.
    const remote = { "x-forwarded-for": "203.0.113.7" };
    const before = readFileSync(envPath, "utf8");

    const page = await fetch(`${origin}/probot`, { headers: remote });
    expect(page.status).toBe(403);
    expect(await page.text()).toContain("printed in the server");
    const setup = await fetch(`${origin}/probot/setup?code=attacker-code`, { headers: remote });
    expect(setup.status).toBe(403);
    expect(github.calls(CONVERSIONS)).toHaveLength(0);
    expect(readFileSync(envPath, "utf8")).toBe(before);

    // The same machine's browser needs no key.
    expect((await fetch(`${origin}/probot`)).status).toBe(200);

    // The address printed in the log lets a remote browser in, with a cookie.
    const printed = /open (https?:\/\/\S+\/probot\?key=([A-Za-z0-9_-]+))/.exec(server.output());
    expect(printed).not.toBeNull();
    const key = printed?.[2] ?? "";
    const wrong = await fetch(`${origin}/probot?key=${"x".repeat(key.length)}`, {
      headers: remote,
      redirect: "manual",
    });
    expect(wrong.status).toBe(403);
    const opened = await fetch(`${origin}/probot?key=${key}`, {
      headers: remote,
      redirect: "manual",
    });
    expect(opened.status).toBe(303);
    expect(opened.headers.get("location")).toBe("/probot");
    expect(opened.headers.get("set-cookie")).toMatch(/HttpOnly; SameSite=Lax/);
    const cookie = cookiesOf(opened);
    const withCookie = await fetch(`${origin}/probot`, { headers: { ...remote, cookie } });
    expect(withCookie.status).toBe(200);
    const registered = await fetch(`${origin}/probot/setup?code=abc123`, {
      headers: { ...remote, cookie },
    });
    expect(registered.status).toBe(200);
    expect(github.calls(CONVERSIONS)).toHaveLength(1);
    expect(readFileSync(envPath, "utf8")).toContain("APP_ID=4343");

    // One registration per start: the key is spent, and no second code overwrites .env.
    const again = await fetch(`${origin}/probot/setup?code=second`);
    expect(again.status).toBe(409);
    expect(github.calls(CONVERSIONS)).toHaveLength(1);
    // The key never reached the access log.
    // The server writes its access log as it goes: wait for the lines to arrive.
    const log = await eventually(() => {
      const lines = server
        .output()
        .split("\n")
        .filter((line) => line.includes('"name":"http"'));
      expect(lines.length).toBeGreaterThan(3);
      return lines;
    });
    for (const line of log) expect(line, line).not.toContain(key);
  }, 60_000);
});

describe("isLocalRequest", () => {
  const request = (remoteAddress: string, headers: Record<string, string> = {}) =>
    ({ socket: { remoteAddress }, headers }) as unknown as Parameters<typeof isLocalRequest>[0];

  it.each([
    ["127.0.0.1", {}, true],
    ["::1", {}, true],
    ["::ffff:127.0.0.1", {}, true],
    ["192.0.2.10", {}, false],
    ["172.17.0.1", {}, false],
    ["::ffff:10.0.0.5", {}, false],
    ["127.0.0.1", { "x-forwarded-for": "203.0.113.7" }, false],
    ["127.0.0.1", { forwarded: "for=203.0.113.7" }, false],
  ])("%s %j → %s", (address, headers, local) => {
    expect(isLocalRequest(request(address, headers))).toBe(local);
  });
});

describe("the registered page", () => {
  it("tells the operator to set WEBHOOK_SECRET when GitHub returned none", () => {
    const params = {
      installUrl: "https://github.example/apps/x/installations/new",
      envPath: ".env",
    };
    expect(renderRegisteredPage({ ...params, missingWebhookSecret: true })).toContain(
      "<code>WEBHOOK_SECRET</code>",
    );
    expect(renderRegisteredPage(params)).not.toContain("WEBHOOK_SECRET");
  });
});
