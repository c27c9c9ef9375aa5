import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sign } from "@octokit/webhooks-methods";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createQueueNames } from "../../jobs/queue-names.js";
import { testDeploymentEnv } from "../../support/app-harness.js";
import { type FakeGitHub, startFakeGitHub } from "../../support/fake-github.js";
import {
  type FakeOpenAiServer,
  startFakeOpenAiServer,
} from "../../support/llm/fake-openai-server.js";
import {
  freePort,
  type SpawnedProcess,
  serverProcessEnv,
  spawnNpm,
} from "../../support/spawn-process.js";
import { eventually, issueCommentOnPullRequest, testPrivateKey } from "../../support/webhooks.js";
import { stubIntake } from "../support/stub-intake.js";

/**
 * What an operator sees of `npm start` + `npm run worker` against a stand-in GitHub and a
 * private Redis (stopped and restarted here, so never the shared one): readiness that follows
 * Redis, metrics that move, a queue board behind its token, one log line per outage, no run
 * lost across the restart, and a shutdown that ends while Redis is down.
 */
const SECRET = "operate-webhook-secret";
const METRICS_TOKEN = "metrics-token-0123456789";
const ADMIN_TOKEN = "admin-token-0123456789ab";

let redisDir: string;
let redisPort: number;
let redisServer: ChildProcess | undefined;
let github: FakeGitHub;
let llm: FakeOpenAiServer;
let env: Record<string, string>;
let server: SpawnedProcess;
let worker: SpawnedProcess | undefined;
let origin: string;

async function startRedis() {
  redisServer = spawn(
    "redis-server",
    [
      "--port",
      String(redisPort),
      "--bind",
      "127.0.0.1",
      "--dir",
      redisDir,
      "--appendonly",
      "yes",
      "--appendfsync",
      "always",
      "--save",
      "",
    ],
    { stdio: "ignore" },
  );
  await eventually(async () => {
    const probe = spawn("redis-cli", ["-p", String(redisPort), "ping"]);
    expect(await new Promise((resolve) => probe.on("exit", resolve))).toBe(0);
  });
}

async function stopRedis() {
  const exited = new Promise((resolve) => redisServer?.on("exit", resolve));
  redisServer?.kill("SIGTERM");
  await exited;
}

const readyz = async () => (await fetch(`${origin}/readyz`)).status;

async function mention(commentId: number) {
  const body = JSON.stringify(
    issueCommentOnPullRequest({ body: "@tech-lead-bot alice", login: "octo-dev", commentId }),
  );
  const response = await fetch(`${origin}/api/github/webhooks`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": "issue_comment",
      "x-github-delivery": `operate-${commentId}`,
      "x-hub-signature-256": await sign(SECRET, body),
    },
    body,
  });
  expect(response.status).toBe(200);
}

const metrics = async () =>
  (
    await fetch(`${origin}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
  ).text();

const sample = (text: string, series: string) =>
  Number(
    text
      .split("\n")
      .find((line) => line.startsWith(`${series} `))
      ?.split(" ")[1] ?? 0,
  );

beforeAll(async () => {
  redisDir = await mkdtemp(join(tmpdir(), "operate-redis-"));
  redisPort = await freePort();
  await startRedis();
  github = await startFakeGitHub();
  stubIntake(github, { headSha: "4".repeat(40), statusCommentId: 888 });
  llm = await startFakeOpenAiServer(() => ({ text: "NO_COMMENT" }));
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  env = {
    ...serverProcessEnv({
      githubHost: github.host,
      port,
      queuePrefix: "operate",
      privateKey: testPrivateKey(),
      webhookSecret: SECRET,
      deploymentEnv: { LOG_LEVEL: "info", ...testDeploymentEnv(origin) },
    }),
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    LLM_BASE_URL: llm.baseUrl,
    BASE_MODEL_NAME: "base",
    METRICS_TOKEN,
    ADMIN_TOKEN,
  };
  server = spawnNpm("start", env);
  await server.waitForOutput(/Listening on/, 60_000);
}, 90_000);

afterAll(async () => {
  await worker?.stop();
  await server?.stop();
  await github?.close();
  await llm?.close();
  if (redisServer?.exitCode === null) await stopRedis();
  await rm(redisDir, { recursive: true, force: true });
});

describe("operating the bot", () => {
  it("answers /healthz and /readyz with every check", async () => {
    expect((await fetch(`${origin}/healthz`)).status).toBe(200);
    // Each check's detail is for the holder of METRICS_TOKEN (test/observe/readyz-details.test.ts).
    const response = await fetch(`${origin}/readyz`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    const body = (await response.json()) as { checks: { name: string; ok: boolean }[] };
    expect(response.status).toBe(200);
    expect(body.checks.map((check) => [check.name, check.ok])).toEqual([
      ["redis", true],
      ["queues", true],
      ["llm", true],
    ]);
  });

  it("is not ready when the LLM server does not serve BASE_MODEL_NAME", async () => {
    const other = spawnNpm("start", {
      ...env,
      PORT: String(await freePort()),
      BASE_MODEL_NAME: "other-model",
    });
    try {
      await other.waitForOutput(/Listening on http:\/\/127.0.0.1:(\d+)/, 60_000);
      const port = /Listening on http:\/\/127.0.0.1:(\d+)/.exec(other.output())?.[1];
      const response = await fetch(`http://127.0.0.1:${port}/readyz`, {
        headers: { authorization: `Bearer ${METRICS_TOKEN}` },
      });
      expect(response.status).toBe(503);
      expect(JSON.stringify(await response.json())).toContain("BASE_MODEL_NAME=other-model");
    } finally {
      await other.stop();
    }
  }, 90_000);

  it("keeps /metrics and /admin/queues behind their tokens", async () => {
    expect((await fetch(`${origin}/metrics`)).status).toBe(401);
    expect((await fetch(`${origin}/admin/queues`)).status).toBe(401);
    expect(
      (
        await fetch(`${origin}/admin/queues`, {
          headers: { authorization: "Bearer wrong-token-0123456789" },
        })
      ).status,
    ).toBe(401);
    const basic = `Basic ${Buffer.from(`ops:${ADMIN_TOKEN}`).toString("base64")}`;
    const board = await fetch(`${origin}/admin/queues`, { headers: { authorization: basic } });
    expect(board.status).toBe(200);
    expect(await board.text()).toContain("<html");
    const api = await fetch(`${origin}/admin/queues/api/queues`, {
      headers: { authorization: basic },
    });
    const listed = ((await api.json()) as { queues: { name: string }[] }).queues.map((q) => q.name);
    // Every queue of the deployment, whichever stages and features it has grown.
    expect(listed.sort()).toEqual(Object.values(createQueueNames()).sort());
  });

  it("counts a mention in /metrics", async () => {
    const before = await metrics();
    await mention(7001);
    await eventually(async () => {
      const after = await metrics();
      expect(sample(after, 'tlb_webhooks_total{event="issue_comment",outcome="queued"}')).toBe(
        sample(before, 'tlb_webhooks_total{event="issue_comment",outcome="queued"}') + 1,
      );
      expect(
        sample(after, 'tlb_job_duration_seconds_count{queue="commands",outcome="completed"}'),
      ).toBe(
        sample(before, 'tlb_job_duration_seconds_count{queue="commands",outcome="completed"}') + 1,
      );
      // The persona run waits in its queue: no persona worker runs yet.
      expect(sample(after, 'tlb_queue_jobs{queue="persona-runs",state="waiting"}')).toBe(1);
    }, 20_000);
  });

  it("turns not ready within 5 s of Redis stopping, logs it once, and ready again after a restart with the run kept", async () => {
    await stopRedis();
    const stoppedAt = Date.now();
    await eventually(async () => expect(await readyz()).toBe(503), 5_000);
    expect(Date.now() - stoppedAt).toBeLessThan(5_000);
    // Some reconnect attempts later, still one line about it, and no stack traces.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    const outageLines = server
      .output()
      .split("\n")
      .filter((line) => line.includes("does not answer"));
    expect(outageLines).toHaveLength(1);
    expect(outageLines[0]).toContain(`REDIS_URL=redis://127.0.0.1:${redisPort}`);
    expect(server.output()).not.toContain("ECONNREFUSED\n");
    expect(server.output()).not.toMatch(/^\s+at /m);

    await startRedis();
    await eventually(async () => expect(await readyz()).toBe(200), 15_000);
    expect(server.output()).toContain("Redis answers again");

    // The run queued before the outage is still there: a persona worker picks it up now.
    const workerMetricsPort = await freePort();
    worker = spawnNpm("worker", { ...env, METRICS_PORT: String(workerMetricsPort) });
    await worker.waitForOutput(/persona worker ready: Redis answers, the LLM serves base/, 60_000);
    await eventually(() => {
      const edits = github.calls("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}");
      expect((edits.at(-1)?.body as { body: string } | undefined)?.body).toContain(
        "Sign in with GitHub",
      );
    }, 30_000);
    expect(github.violations).toEqual([]);
    // The worker counts its own jobs on its own /metrics, behind the same token.
    const workerMetrics = `http://127.0.0.1:${workerMetricsPort}/metrics`;
    expect((await fetch(workerMetrics)).status).toBe(401);
    await eventually(async () => {
      const text = await (
        await fetch(workerMetrics, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
      ).text();
      expect(text).toMatch(
        /^tlb_job_duration_seconds_count\{queue="persona-runs",outcome="completed"\} [1-9]/m,
      );
    }, 10_000);
  }, 90_000);

  it("stops within seconds on SIGTERM while Redis is down", async () => {
    await stopRedis();
    await eventually(async () => expect(await readyz()).toBe(503), 5_000);
    const stopping = Date.now();
    expect(await worker?.stop(), worker?.output()).toBe(0);
    expect(await server.stop(), server.output()).toBe(0);
    expect(Date.now() - stopping).toBeLessThan(10_000);
  }, 30_000);
});
