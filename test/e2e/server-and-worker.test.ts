import { sign } from "@octokit/webhooks-methods";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDeploymentEnv } from "../../support/app-harness.js";
import { type FakeGitHub, startFakeGitHub } from "../../support/fake-github.js";
import { connectTestRedis, deleteKeys, uniqueName } from "../../support/redis.js";
import {
  freePort,
  type SpawnedProcess,
  serverProcessEnv,
  spawnNpm,
} from "../../support/spawn-process.js";
import { eventually, issueCommentOnPullRequest, testPrivateKey } from "../../support/webhooks.js";
import { stubIntake } from "../support/stub-intake.js";

const SECRET = "e2e-webhook-secret";
const HEAD_SHA = "0123456789abcdef0123456789abcdef01234567";

let github: FakeGitHub;
let redis: Redis;
let server: SpawnedProcess;
let worker: SpawnedProcess;
let port: number;
const prefix = uniqueName("e2e");

beforeAll(async () => {
  github = await startFakeGitHub();
  redis = await connectTestRedis();
  stubIntake(github, { headSha: HEAD_SHA, statusCommentId: 555 });
  port = await freePort();
  // Exactly the environment a GitHub Enterprise user sets; the private key goes in as Probot reads it.
  const env = serverProcessEnv({
    githubHost: github.host,
    port,
    queuePrefix: prefix,
    privateKey: testPrivateKey(),
    webhookSecret: SECRET,
    deploymentEnv: { LOG_LEVEL: "info", ...testDeploymentEnv(`http://127.0.0.1:${port}`) },
  });
  server = spawnNpm("start", env);
  worker = spawnNpm("worker", env);
  await server.waitForOutput(/Listening on/);
  await worker.waitForOutput(/persona worker waiting for runs/);
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await worker?.stop();
  await deleteKeys(redis, `${prefix}:*`);
  await redis.quit();
  await github.close();
});

describe("npm start and npm run worker against a stand-in GitHub Enterprise", () => {
  it("turns one signed webhook into a reaction, a status comment and a run the worker reports on", async () => {
    const body = JSON.stringify(
      issueCommentOnPullRequest({
        body: "@tech-lead-bot alice",
        login: "octo-dev",
        commentId: 4001,
      }),
    );
    const response = await fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "issue_comment",
        "x-github-delivery": "e2e-delivery-1",
        "x-hub-signature-256": await sign(SECRET, body),
      },
      body,
    });
    expect(response.status).toBe(200);

    await eventually(() => {
      expect(
        github.calls("POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions"),
      ).toHaveLength(1);
      expect(
        github.calls("POST /repos/{owner}/{repo}/issues/{issue_number}/comments"),
      ).toHaveLength(1);
      // The worker picked the run up and edited the same status comment.
      const edits = github.calls("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}");
      expect(edits.map((edit) => edit.pathname)).toContain(
        "/repos/Codertocat/Hello-World/issues/comments/555",
      );
      // Nobody has signed in yet, so the worker asks the requester to.
      expect((edits.at(-1)?.body as { body: string } | undefined)?.body).toContain(
        "Sign in with GitHub",
      );
    }, 20_000);
    expect(github.violations).toEqual([]);
  });

  it("refuses a webhook with a wrong signature", async () => {
    const body = JSON.stringify(issueCommentOnPullRequest({ body: "@tech-lead-bot alice" }));
    const response = await fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "issue_comment",
        "x-github-delivery": "e2e-delivery-2",
        "x-hub-signature-256": await sign("not-the-secret", body),
      },
      body,
    });
    expect(response.status).toBe(400);
  });

  it("stops cleanly on SIGTERM", async () => {
    expect(await worker.stop()).toBe(0);
    expect(await server.stop()).toBe(0);
    expect(worker.output()).toContain("stopped cleanly");
  });
});
