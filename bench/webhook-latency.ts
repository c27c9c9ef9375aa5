/**
 * How fast `npm start` answers GitHub: GitHub gives up after 10 s, and the bot should answer in
 * milliseconds because the handler only parses and queues.
 *
 *   npm run bench:webhook
 *
 * Starts the real server process against a stand-in GitHub and the local Redis, POSTs signed
 * `issue_comment` webhooks one after another (each a new command), and prints latency figures.
 */
import { sign } from "@octokit/webhooks-methods";
import { testDeploymentEnv } from "../support/app-harness.js";
import { startFakeGitHub } from "../support/fake-github.js";
import { connectTestRedis, deleteKeys, uniqueName } from "../support/redis.js";
import { freePort, serverProcessEnv, spawnNpm } from "../support/spawn-process.js";
import {
  eventually,
  issueCommentOnPullRequest,
  postWebhook,
  testPrivateKey,
} from "../support/webhooks.js";

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);
const SECRET = "bench-secret";

const github = await startFakeGitHub();
// No intake handlers: the bench measures the webhook answer, not the GitHub calls after it.
const redis = await connectTestRedis();
const prefix = uniqueName("bench-webhook");
const port = await freePort();
const server = spawnNpm(
  "start",
  serverProcessEnv({
    githubHost: github.host,
    port,
    queuePrefix: prefix,
    privateKey: testPrivateKey(),
    webhookSecret: SECRET,
    deploymentEnv: {
      ...testDeploymentEnv(`http://127.0.0.1:${port}`),
      COMMAND_CONCURRENCY: "1",
      LOG_LEVEL: "warn",
    },
  }),
);
try {
  // LOG_LEVEL=warn hides "Listening on": wait for Probot's /ping instead, and fail loudly.
  await eventually(async () => {
    const ping = await fetch(`http://127.0.0.1:${port}/ping`);
    if (!ping.ok) throw new Error(`/ping answered ${ping.status}`);
  }, 30_000).catch((error: unknown) => {
    throw new Error(
      `npm start did not come up:
${server.output()}`,
      { cause: error },
    );
  });
  const latencies: number[] = [];
  for (let index = 0; index < REQUESTS + 20; index++) {
    const body = JSON.stringify(
      issueCommentOnPullRequest({ body: "@tech-lead-bot alice", commentId: 10_000 + index }),
    );
    const signature = await sign(SECRET, body);
    const started = performance.now();
    const response = await postWebhook({
      origin: `http://127.0.0.1:${port}`,
      event: "issue_comment",
      deliveryId: `bench-${prefix}-${index}`,
      body,
      signature,
    });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
    // The first 20 warm up the JIT and connections.
    if (index >= 20) latencies.push(performance.now() - started);
  }
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    (
      latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN
    ).toFixed(1);
  const mean = latencies.reduce((sum, value) => sum + value, 0) / latencies.length;
  process.stdout.write(
    `webhooks=${latencies.length} mean_ms=${mean.toFixed(1)} p50_ms=${at(0.5)} p95_ms=${at(0.95)} p99_ms=${at(0.99)} max_ms=${at(1)}\n`,
  );
} finally {
  await server.stop();
  await deleteKeys(redis, `${prefix}:*`);
  await redis.quit();
  await github.close();
}
