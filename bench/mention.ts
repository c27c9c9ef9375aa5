/**
 * npm run bench:mention — how long the bot itself takes from a mention to the posted review.
 * Runs the real `npm start` and `npm run worker` against a stand-in GitHub (its own process,
 * every request checked against GitHub's OpenAPI description) and a stand-in LLM answering
 * after 50 ms (its own process), with the requester signed in and the reviewer's adapter
 * already trained. One warm-up run, then a measured one on a new head commit: the signed
 * webhook is sent, and the clock stops when the stand-in GitHub saves the review.
 * overhead_ms = mention_to_review_ms − llm_ms (first model request to last model answer).
 * The last line is:
 * mention_to_review_ms=<n> llm_ms=<n> overhead_ms=<n> github_writes_before_review=<n>
 */
import { sign } from "@octokit/webhooks-methods";
import { createFernetKeyring, parseFernetKeyList } from "../src/auth/create-fernet-keyring.js";
import { generateFernetKeyText } from "../src/auth/parse-fernet-key.js";
import { createTokenVault } from "../src/auth/token-vault.js";
import { recordAdapter } from "../src/train/adapter-registry.js";
import { connectTestRedis, deleteKeys, uniqueName } from "../support/redis.js";
import { freePort, serverProcessEnv, spawnNpm } from "../support/spawn-process.js";
import { issueCommentOnPullRequest, postWebhook, testPrivateKey } from "../support/webhooks.js";
import { startStandInGithub, startStandInLlm } from "./support/start-stand-in.js";

const LLM_DELAY_MS = 50;
const SECRET = "bench-webhook-secret";
const USER_TOKEN = "ghu_benchMentionRequester000000000001";
const REQUESTER = { login: "octo-dev", id: 583231 };
const BASE_MODEL = "meta-llama/Meta-Llama-3-8B-Instruct";
const out = (line: string) => process.stdout.write(`${line}\n`);

const llm = await startStandInLlm(LLM_DELAY_MS);
const github = await startStandInGithub<{ host: string }>(
  "serve-mention-github.ts",
  "mixed-changes.diff",
  { BENCH_USER_TOKEN: USER_TOKEN },
);
const redis = await connectTestRedis();
const prefix = uniqueName("bench-mention");
const encryptionKeys = generateFernetKeyText();
const port = await freePort();
const env = serverProcessEnv({
  githubHost: github.ready.host,
  port,
  queuePrefix: prefix,
  privateKey: testPrivateKey(),
  webhookSecret: SECRET,
  deploymentEnv: {
    LOG_LEVEL: "info",
    GITHUB_CLIENT_ID: "Iv1.benchclientid",
    GITHUB_CLIENT_SECRET: "bench-client-secret",
    TOKEN_ENCRYPTION_KEYS: encryptionKeys,
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    LLM_BASE_URL: llm.ready.baseUrl,
    BASE_MODEL_NAME: BASE_MODEL,
  },
});

// The requester signed in earlier; the reviewer's adapter was trained earlier.
await createTokenVault({
  redis,
  keyring: createFernetKeyring(parseFernetKeyList(encryptionKeys)),
  keyPrefix: `${prefix}:`,
}).save({
  userId: REQUESTER.id,
  login: REQUESTER.login,
  accessToken: USER_TOKEN,
  accessTokenExpiresAt: null,
  refreshToken: null,
  refreshTokenExpiresAt: null,
});
await recordAdapter({
  redis,
  keyPrefix: prefix,
  subject: { owner: "Codertocat", repo: "Hello-World", reviewerLogin: "alice" },
  adapter: {
    adapterName: "bench-alice-v1",
    version: 1,
    baseModel: BASE_MODEL,
    trainedAt: new Date().toISOString(),
    examples: 40,
    steps: null,
    trainSeconds: null,
    scores: {},
  },
});

const server = spawnNpm("start", env);
const worker = spawnNpm("worker", env);
let commentId = 90_000;

/** One mention on a fresh head commit; resolves with the measured spans. */
async function measureOneMention(headSha: string) {
  await github.ask(`reset:${headSha}`);
  await llm.ask("reset");
  const body = JSON.stringify(
    Object.assign(
      issueCommentOnPullRequest({
        body: "@tech-lead-bot alice",
        login: REQUESTER.login,
        commentId: ++commentId,
      }),
    ),
  );
  const payload = JSON.parse(body) as { comment: { user: { id: number } } };
  payload.comment.user.id = REQUESTER.id;
  const signed = JSON.stringify(payload);
  const mentionAt = Date.now();
  const response = await postWebhook({
    origin: `http://127.0.0.1:${port}`,
    event: "issue_comment",
    deliveryId: `bench-${commentId}`,
    body: signed,
    signature: await sign(SECRET, signed),
  });
  if (response.status !== 200) throw new Error(`the webhook was answered ${response.status}`);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const stats = await github.ask<{
      reviewAt?: number;
      writesBeforeReview: number;
      violations: string[];
    }>("stats");
    if (stats.violations.length > 0)
      throw new Error(`requests GitHub would refuse: ${stats.violations.join("; ")}`);
    if (stats.reviewAt !== undefined) {
      const times = await llm.ask<{ firstRequestAt?: number; lastAnswerAt?: number }>("stats");
      const llmMs = (times.lastAnswerAt ?? 0) - (times.firstRequestAt ?? 0);
      const mentionToReviewMs = stats.reviewAt - mentionAt;
      return {
        mentionToReviewMs,
        llmMs,
        overheadMs: mentionToReviewMs - llmMs,
        writes: stats.writesBeforeReview,
      };
    }
    if (Date.now() > deadline) {
      throw new Error(
        `no review within 60 s.\nserver:\n${server.output().slice(-3000)}\nworker:\n${worker.output().slice(-3000)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

try {
  await server.waitForOutput(/Listening on/, 60_000);
  await worker.waitForOutput(/persona worker waiting for runs/, 60_000);
  const warmUp = await measureOneMention("a".repeat(40));
  out(`warm-up: mention_to_review_ms=${warmUp.mentionToReviewMs}`);
  // Let the warm-up's last status edit and 👀 leave the write throttle before measuring.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  const run = await measureOneMention("b".repeat(40));
  out(
    `mention_to_review_ms=${run.mentionToReviewMs} llm_ms=${run.llmMs} overhead_ms=${run.overheadMs} github_writes_before_review=${run.writes}`,
  );
} finally {
  await worker.stop();
  await server.stop();
  await deleteKeys(redis, `${prefix}:*`);
  await redis.quit();
  await github.close();
  await llm.close();
}
