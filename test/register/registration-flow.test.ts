import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseEnv } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type FakeGitHub, startFakeGitHub } from "../../support/fake-github.js";
import { freePort, type SpawnedProcess, spawnNpm } from "../../support/spawn-process.js";
import { testPrivateKey } from "../../support/webhooks.js";

/**
 * The first start, as a newcomer meets it: `npm start` without an app serves the registration
 * page; the manifest it posts to GitHub must point GitHub's webhooks and sign-in redirects at
 * this deployment, and the credentials GitHub hands back must land in .env without wiping it.
 */
let dir: string;
let envPath: string;
let github: FakeGitHub;
const started: SpawnedProcess[] = [];

async function startUnregistered(env: Record<string, string>) {
  const port = await freePort();
  const server = spawnNpm("start", {
    DOTENV_CONFIG_PATH: envPath,
    PORT: String(port),
    HOST: "127.0.0.1",
    LOG_FORMAT: "json",
    APP_ID: "",
    PRIVATE_KEY: "",
    PRIVATE_KEY_PATH: "",
    WEBHOOK_PROXY_URL: "",
    GHE_HOST: github.host,
    GHE_PROTOCOL: "http",
    ...env,
  });
  started.push(server);
  await server.waitForOutput(/No GitHub App yet/);
  return { server, origin: `http://127.0.0.1:${port}` };
}

/** The manifest the page's form posts, as the browser would send it. */
async function postedManifest(origin: string) {
  const page = await (await fetch(`${origin}/probot`)).text();
  const action = /<form action="([^"]+)"/.exec(page)?.[1];
  const value = /name="manifest" id="manifest" value="([^"]*)"/.exec(page)?.[1] ?? "";
  const decoded = value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
  return { page, action, manifest: JSON.parse(decoded) as Record<string, unknown> };
}

beforeAll(async () => {
  github = await startFakeGitHub();
  dir = mkdtempSync(join(tmpdir(), "registration-"));
  envPath = join(dir, ".env");
  copyFileSync(".env.example", envPath);
});

afterAll(async () => {
  for (const server of started) await server.stop();
  await github.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("registering the GitHub App on first start", () => {
  it("registers webhooks at PUBLIC_URL/api/github/webhooks and sign-in at PUBLIC_URL/oauth/callback", async () => {
    const { server, origin } = await startUnregistered({ PUBLIC_URL: "https://bot.example.com" });
    const { action, manifest } = await postedManifest(origin);
    expect(action).toBe(`http://${github.host}/settings/apps/new`);
    expect(manifest.hook_attributes).toEqual({
      url: "https://bot.example.com/api/github/webhooks",
      active: true,
    });
    expect(manifest.callback_urls).toEqual(["https://bot.example.com/oauth/callback"]);
    expect(manifest.redirect_url).toBe(`${origin}/probot/setup`);
    // Events and permissions still come from app.yml.
    const appYml = parse(readFileSync(new URL("../../app.yml", import.meta.url), "utf8")) as {
      default_events: string[];
    };
    expect(manifest.default_events).toEqual(appYml.default_events);
    expect(manifest.default_events).toContain("issue_comment");
    expect(manifest.public).toBe(false);
    await server.stop();
  });

  it("registers a smee.io channel from WEBHOOK_PROXY_URL as the webhook URL", async () => {
    const { server, origin } = await startUnregistered({
      PUBLIC_URL: "http://localhost:3000",
      WEBHOOK_PROXY_URL: "https://smee.io/tech-lead-bot-test",
    });
    const { manifest, page } = await postedManifest(origin);
    expect(manifest.hook_attributes).toEqual({
      url: "https://smee.io/tech-lead-bot-test",
      active: true,
    });
    expect(manifest.callback_urls).toEqual(["http://localhost:3000/oauth/callback"]);
    expect(page).not.toContain("GitHub cannot reach");
    await server.stop();
  });

  it("warns on the page when GitHub could not reach the webhook URL", async () => {
    const { server, origin } = await startUnregistered({ PUBLIC_URL: "http://localhost:3000" });
    const { page } = await postedManifest(origin);
    expect(page).toContain("which GitHub cannot reach");
    expect(page).toContain("WEBHOOK_PROXY_URL");
    await server.stop();
  });

  it("links 'use an existing GitHub App' to github.com when GHE_HOST is empty", async () => {
    const { server, origin } = await startUnregistered({ GHE_HOST: "" });
    const page = await (await fetch(`${origin}/probot/import`)).text();
    expect(page).toContain('href="https://github.com/settings/apps"');
    expect(page).not.toContain("https:///");
    await server.stop();
  });

  it("writes the app's credentials into .env and keeps its comments", async () => {
    const pem = testPrivateKey();
    github.on("POST /app-manifests/{code}/conversions", {
      status: 201,
      body: {
        id: 4242,
        slug: "tech-lead-bot",
        html_url: "https://github.example/apps/tech-lead-bot",
        client_id: "Iv1.0123456789abcdef",
        client_secret: "0123456789abcdef0123456789abcdef01234567",
        webhook_secret: "a-webhook-secret",
        pem,
      },
    });
    const { server, origin } = await startUnregistered({ PUBLIC_URL: "https://bot.example.com" });
    const before = readFileSync(envPath, "utf8");
    const response = await fetch(`${origin}/probot/setup?code=abc123`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(
      "https://github.example/apps/tech-lead-bot/installations/new",
    );
    expect(github.calls("POST /app-manifests/{code}/conversions")).toHaveLength(1);
    expect(github.violations).toEqual([]);

    const after = readFileSync(envPath, "utf8");
    const comments = (text: string) => text.split("\n").filter((line) => line.startsWith("#"));
    expect(comments(after)).toEqual(comments(before));
    const values = parseEnv(after);
    expect(values.APP_ID).toBe("4242");
    expect(values.PRIVATE_KEY).toBe(pem);
    expect(values.WEBHOOK_SECRET).toBe("a-webhook-secret");
    expect(values.GITHUB_CLIENT_ID).toBe("Iv1.0123456789abcdef");
    expect(values.TOKEN_ENCRYPTION_KEYS).toBe(parseEnv(before).TOKEN_ENCRYPTION_KEYS);
    // The key is in .env, never in the log.
    expect(server.output()).not.toContain(pem.split("\n")[1]);
    await server.stop();
  });
});
