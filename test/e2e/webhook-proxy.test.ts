import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { sign } from "@octokit/webhooks-methods";
import { afterAll, beforeAll, expect, it } from "vitest";
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

/**
 * WEBHOOK_PROXY_URL, as .env.example describes it: GitHub delivers to a smee.io channel and the
 * server relays each delivery to itself. A stand-in channel speaks smee.io's protocol (server-
 * sent events, one JSON message per delivery: the headers plus `body`).
 */
const SECRET = "proxy-webhook-secret";
const prefix = uniqueName("proxy");
let github: FakeGitHub;
let server: SpawnedProcess;
let channel: ReturnType<typeof createServer>;
const listeners: ServerResponse[] = [];

beforeAll(async () => {
  github = await startFakeGitHub();
  stubIntake(github, { headSha: "5".repeat(40), statusCommentId: 909 });
  channel = createServer((req, res) => {
    if (req.method === "GET" && req.url === "/tech-lead-bot-channel") {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      res.write("event: ready\ndata: {}\n\n");
      listeners.push(res);
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => channel.listen(0, "127.0.0.1", resolve));
  const channelUrl = `http://127.0.0.1:${(channel.address() as AddressInfo).port}/tech-lead-bot-channel`;
  const port = await freePort();
  server = spawnNpm("start", {
    ...serverProcessEnv({
      githubHost: github.host,
      port,
      queuePrefix: prefix,
      privateKey: testPrivateKey(),
      webhookSecret: SECRET,
      deploymentEnv: testDeploymentEnv(`http://127.0.0.1:${port}`),
    }),
    WEBHOOK_PROXY_URL: channelUrl,
  });
  await server.waitForOutput(/Connected to http:\/\/127\.0\.0\.1/, 60_000);
}, 90_000);

afterAll(async () => {
  await server?.stop();
  for (const listener of listeners) listener.end();
  channel?.closeAllConnections();
  await new Promise((resolve) => channel?.close(resolve));
  await github?.close();
  const redis = await connectTestRedis();
  await deleteKeys(redis, `${prefix}:*`);
  await redis.quit();
});

it("relays a delivery from the WEBHOOK_PROXY_URL channel to the app", async () => {
  const payload = issueCommentOnPullRequest({ body: "@tech-lead-bot alice", commentId: 9101 });
  const body = JSON.stringify(payload);
  const message = {
    "x-github-event": "issue_comment",
    "x-github-delivery": "proxy-delivery-1",
    "x-hub-signature-256": await sign(SECRET, body),
    "content-type": "application/json",
    body: payload,
  };
  for (const listener of listeners) listener.write(`data: ${JSON.stringify(message)}\n\n`);
  await eventually(() => {
    expect(
      github.calls("POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions"),
    ).toHaveLength(1);
  }, 20_000);
  expect(github.violations).toEqual([]);
});
