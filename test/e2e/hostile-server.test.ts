import { type ChildProcess, spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDeploymentEnv } from "../../support/app-harness.js";
import { type FakeGitHub, startFakeGitHub } from "../../support/fake-github.js";
import { connectTestRedis } from "../../support/redis.js";
import {
  freePort,
  type SpawnedProcess,
  serverProcessEnv,
  spawnNpm,
} from "../../support/spawn-process.js";
import { eventually, issueCommentOnPullRequest, testPrivateKey } from "../../support/webhooks.js";
import { stubIntake } from "../support/stub-intake.js";
import { BAD_PAYLOADS } from "./support/bad-payloads.js";

/**
 * `npm start` facing hostile HTTP: payloads that break the schema the bot relies on, a Redis
 * that goes away under it, and a cross-site POST to /oauth/revoke. Runs its own redis-server so
 * it can stop it, and reads the server's JSON log line by line.
 */
const SECRET = "hostile-webhook-secret";
let github: FakeGitHub;
let dir: string;
let redisPort: number;
let redisServer: ChildProcess;
let server: SpawnedProcess;
let origin: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "hostile-server-"));
  redisPort = await freePort();
  redisServer = spawn(
    "redis-server",
    ["--port", String(redisPort), "--bind", "127.0.0.1", "--dir", dir, "--save", ""],
    { stdio: "ignore" },
  );
  const probe = await eventually(() => connectTestRedis(`redis://127.0.0.1:${redisPort}`));
  await probe.quit();
  github = await startFakeGitHub();
  stubIntake(github, { headSha: "4".repeat(40), statusCommentId: 808 });
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  server = spawnNpm("start", {
    ...serverProcessEnv({
      githubHost: github.host,
      port,
      queuePrefix: "hostile",
      privateKey: testPrivateKey(),
      webhookSecret: SECRET,
      deploymentEnv: { LOG_LEVEL: "info", ...testDeploymentEnv(origin) },
    }),
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
  });
  await server.waitForOutput(/Listening on/, 30_000);
}, 60_000);

afterAll(async () => {
  await server?.stop().catch(() => undefined);
  redisServer?.kill("SIGKILL");
  await github?.close();
  await rm(dir, { recursive: true, force: true });
});

/** The server's log, one parsed JSON object per line. */
function logLines(): Record<string, unknown>[] {
  return server
    .output()
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function post(params: {
  event: string;
  body: string;
  deliveryId: string;
  headers?: Record<string, string>;
  secret?: string;
}) {
  return fetch(`${origin}/api/github/webhooks`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": params.event,
      "x-github-delivery": params.deliveryId,
      // GitHub's signature; computed by hand so an empty body can be signed too.
      "x-hub-signature-256": `sha256=${createHmac("sha256", params.secret ?? SECRET)
        .update(params.body)
        .digest("hex")}`,
      ...params.headers,
    },
    body: params.body,
  });
}

describe("webhook payloads the bot cannot use", () => {
  it.each(BAD_PAYLOADS)("$label → $status", async ({ event, body, status, warns }) => {
    const deliveryId = `bad-${Math.random().toString(36).slice(2)}`;
    const raw = typeof body === "string" ? body : JSON.stringify(body);
    const response = await post({ event, body: raw, deliveryId });
    expect(response.status).toBe(status);
    const mine = () => logLines().filter((line) => JSON.stringify(line).includes(deliveryId));
    // The access log line comes last; then count what this delivery logged.
    await eventually(() => expect(mine().some((line) => line.name === "http")).toBe(true));
    const levels = mine()
      .filter((line) => line.name !== "http")
      .map((line) => line.level);
    expect(levels).toEqual(warns ? [40] : levels.filter((level) => Number(level) < 40));
    expect(logLines().filter((line) => Number(line.level) >= 50)).toEqual([]);
  });

  it("still takes a good command after all that, and queued none of the bad ones", async () => {
    const response = await post({
      event: "issue_comment",
      body: JSON.stringify(
        issueCommentOnPullRequest({ body: "@tech-lead-bot alice", commentId: 9_999 }),
      ),
      deliveryId: "good-after-bad",
    });
    expect(response.status).toBe(200);
    await eventually(() =>
      expect(
        github.calls("POST /repos/{owner}/{repo}/issues/{issue_number}/comments"),
      ).toHaveLength(1),
    );
    expect(github.violations).toEqual([]);
  });
});

describe("POST /oauth/revoke", () => {
  it.each([
    ["no token, no cookie", {}, ""],
    ["a cross-site form post", { origin: "https://evil.example" }, ""],
    ["a token without its cookie", {}, "csrf=forged"],
  ])("refuses %s with 403 and sends nobody to GitHub", async (_label, headers, form) => {
    const response = await fetch(`${origin}/oauth/revoke`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
      body: form,
    });
    expect(response.status).toBe(403);
    expect(response.headers.get("location")).toBeNull();
  });

  it("goes on to GitHub from its own confirmation page", async () => {
    const page = await fetch(`${origin}/oauth/revoke`);
    const cookie = (page.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const token = /name="csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? "";
    expect(cookie).not.toBe("");
    expect(token).not.toBe("");
    const response = await fetch(`${origin}/oauth/revoke`, {
      method: "POST",
      redirect: "manual",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        cookie,
        origin,
      },
      body: `csrf=${encodeURIComponent(token)}`,
    });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toContain("/login/oauth/authorize");
  });
});

describe("a Redis that goes away", () => {
  it("keeps every log line JSON: ioredis errors go through the logger", async () => {
    redisServer.kill("SIGKILL");
    await new Promise((resolve) => redisServer.on("exit", resolve));
    // ioredis retries every few hundred ms: give it several failed reconnects.
    await eventually(() => expect(server.output()).toContain("does not answer"), 15_000);
    // Several reconnects later, still nothing but JSON.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(server.output()).not.toContain("[ioredis]");
    const notJson = server
      .output()
      .split("\n")
      .filter((line) => line.trim() !== "" && !line.startsWith("{"));
    expect(notJson).toEqual([]);
  }, 30_000);
});
