import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type AppHarness, startAppHarness } from "../../support/app-harness.js";
import { freePort } from "../../support/spawn-process.js";
import { deliverWebhook, eventually, issueCommentOnPullRequest } from "../../support/webhooks.js";
import { stubIntake } from "../support/stub-intake.js";

/**
 * Redis restarts must lose nothing: a command queued before a restart is handled after it, and
 * a worker running through a restart reconnects. Needs Redis persistence (AOF), as the README
 * says production must have; this test runs a private redis-server so it can restart it.
 */
let dir: string;
let port: number;
let redisServer: ChildProcess | undefined;
let harness: AppHarness;

async function startRedis() {
  redisServer = spawn(
    "redis-server",
    [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--dir",
      dir,
      "--appendonly",
      "yes",
      "--appendfsync",
      "always",
      "--save",
      "",
    ],
    {
      stdio: "ignore",
    },
  );
  await eventually(async () => {
    const probe = spawn("redis-cli", ["-p", String(port), "ping"]);
    const code = await new Promise((resolve) => probe.on("exit", resolve));
    expect(code).toBe(0);
  });
}

async function stopRedis() {
  const exited = new Promise((resolve) => redisServer?.on("exit", resolve));
  // SHUTDOWN, as a restart by an operator or a crash-free redeploy does; AOF has every write.
  redisServer?.kill("SIGTERM");
  await exited;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "redis-restart-"));
  port = await freePort();
  await startRedis();
  harness = await startAppHarness({}, { redisUrl: `redis://127.0.0.1:${port}` });
  stubIntake(harness.github, { headSha: "3".repeat(40), statusCommentId: 77 });
}, 30_000);

afterAll(async () => {
  await harness?.close();
  await stopRedis();
  await rm(dir, { recursive: true, force: true });
});

const statusComments = () =>
  harness.github.calls("POST /repos/{owner}/{repo}/issues/{issue_number}/comments").length;

it("handles a command queued before a Redis restart once Redis is back", async () => {
  await deliverWebhook({
    probot: harness.probot,
    name: "issue_comment",
    payload: issueCommentOnPullRequest({ body: "@tech-lead-bot alice" }),
  });
  expect(await harness.commandQueue.count()).toBe(1);

  await stopRedis();
  await startRedis();

  harness.startIntake();
  await eventually(async () => {
    expect(statusComments()).toBe(1);
    expect(await harness.personaQueue.getJobCounts("waiting")).toEqual({ waiting: 1 });
  }, 20_000);
}, 40_000);

it("keeps a running worker working through a Redis restart", async () => {
  await stopRedis();
  await startRedis();
  await deliverWebhook({
    probot: harness.probot,
    name: "issue_comment",
    payload: issueCommentOnPullRequest({ body: "@tech-lead-bot bob" }),
  });
  await eventually(() => expect(statusComments()).toBe(2), 20_000);
  expect(harness.github.violations).toEqual([]);
}, 40_000);
