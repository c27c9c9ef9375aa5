import { expect } from "vitest";
import {
  createFernetKeyring,
  parseFernetKeyList,
} from "../../../src/auth/create-fernet-keyring.js";
import { createTokenVault } from "../../../src/auth/token-vault.js";
import { recordAdapter } from "../../../src/train/adapter-registry.js";
import {
  type AppHarness,
  startAppHarness,
  testDeploymentEnv,
} from "../../../support/app-harness.js";
import {
  forwardHistoryRequests,
  startGithubStandIn,
} from "../../../support/history/github-stand-in.js";
import { seedRepository } from "../../../support/history/seed-repository.js";
import {
  type FakeOpenAiServer,
  startFakeOpenAiServer,
} from "../../../support/llm/fake-openai-server.js";
import { type SpawnedProcess, spawnNpm } from "../../../support/spawn-process.js";
import { type StatefulPull, serveStatefulPull } from "../../../support/stateful-pull.js";
import {
  deliverWebhook,
  eventually,
  issueCommentOnPullRequest,
  testPrivateKey,
} from "../../../support/webhooks.js";
import { commentingModel, HEAD_SHA, readDiff } from "./fault-kit.js";

const USER_TOKEN = "ghu_faultKitRequester00000000000000001";
// What the stand-in LLM lists at /v1/models (the worker waits until its base model is served).
const BASE_MODEL = "base";
const SUBJECT = { owner: "Codertocat", repo: "Hello-World", reviewerLogin: "alice" };

/**
 * The real `npm run worker` process (every stage as deployed) against a stand-in GitHub and a
 * stand-in LLM in this process, with the intake served in-process: for faults that need a real
 * process, such as kill -9 of the worker. The requester is signed in and alice's adapter exists.
 */
export interface WorkerProcessKit {
  harness: AppHarness;
  pull: StatefulPull;
  llm: FakeOpenAiServer;
  /** Starts `npm run worker` and waits until it takes runs. */
  startWorker(): Promise<SpawnedProcess>;
  /** SIGKILL to the worker's whole process group (tsx and the node process running the job). */
  killWorker(worker: SpawnedProcess): Promise<void>;
  mention(): Promise<void>;
  /** Model requests held open until `release`; counts arrivals. */
  holdModel(): { arrivals: () => number; release: () => void };
  /** Every text the status comment was edited to, in order. */
  statusEdits(): string[];
  /** Keys the run should have released: the reviewer's history, its owner, its ticket. */
  heldKeys(): Promise<string[]>;
  /** Every worker's output so far. */
  workerOutput(): string;
  close(): Promise<void>;
}

export async function startWorkerProcessKit(params: {
  /** Extra environment for the worker (PERSONA_LOCK_MS in fault tests). */
  workerEnv?: Record<string, string>;
}): Promise<WorkerProcessKit> {
  const llm = await startFakeOpenAiServer(commentingModel);
  const harness = await startAppHarness(
    { LLM_BASE_URL: llm.baseUrl },
    { deployedQueueNames: true },
  );
  const prefix = harness.config.QUEUE_PREFIX;
  const pull = serveStatefulPull(harness.github, {
    headSha: HEAD_SHA,
    diff: readDiff("mixed-changes.diff"),
  });
  // The reviewer's history as GitHub's GraphQL API and files listing answer it.
  const history = await startGithubStandIn({
    token: USER_TOKEN,
    repo: seedRepository({
      owner: SUBJECT.owner,
      name: SUBJECT.repo,
      target: SUBJECT.reviewerLogin,
      targetComments: 12,
      targetPulls: 4,
      totalComments: 30,
      otherReviewers: 2,
      otherPulls: 3,
    }),
  });
  forwardHistoryRequests(harness.github, history);
  harness.startIntake();

  const payload = issueCommentOnPullRequest({ body: "@tech-lead-bot alice", commentId: 7001 });
  const requester = payload.comment as { user: { id: number; login: string } };
  const deploymentEnv = testDeploymentEnv(harness.httpOrigin);
  await createTokenVault({
    redis: harness.redis,
    keyring: createFernetKeyring(parseFernetKeyList(deploymentEnv.TOKEN_ENCRYPTION_KEYS ?? "")),
    keyPrefix: `${prefix}:`,
  }).save({
    userId: requester.user.id,
    login: requester.user.login,
    accessToken: USER_TOKEN,
    accessTokenExpiresAt: null,
    refreshToken: null,
    refreshTokenExpiresAt: null,
  });
  await recordAdapter({
    redis: harness.redis,
    keyPrefix: prefix,
    subject: SUBJECT,
    adapter: {
      adapterName: "fault-alice-v1",
      version: 1,
      baseModel: BASE_MODEL,
      trainedAt: new Date().toISOString(),
      examples: 12,
      steps: null,
      trainSeconds: null,
      scores: {},
    },
  });

  const workerEnv = {
    APP_ID: "1",
    PRIVATE_KEY: testPrivateKey(),
    GHE_HOST: harness.github.host,
    GHE_PROTOCOL: "http",
    REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    QUEUE_PREFIX: prefix,
    LOG_FORMAT: "json",
    LOG_LEVEL: "info",
    ...deploymentEnv,
    LLM_BASE_URL: llm.baseUrl,
    LLM_MAX_RETRIES: "0",
    BASE_MODEL_NAME: BASE_MODEL,
    ...params.workerEnv,
  };
  const workers: SpawnedProcess[] = [];
  const killWorker = async (worker: SpawnedProcess) => {
    if (worker.child.exitCode !== null || worker.child.signalCode !== null) return;
    const exited = new Promise((resolve) => worker.child.once("exit", resolve));
    const group = worker.child.pid;
    if (group) process.kill(-group, "SIGKILL");
    await exited;
    // tsx runs the app in a child node process: the kill must reach it too (the whole group).
    await eventually(() => expect(() => group && process.kill(-group, 0)).toThrow(/ESRCH/), 5_000);
  };
  let held: (() => void)[] = [];
  return {
    harness,
    pull,
    llm,
    async startWorker() {
      const worker = spawnNpm("worker", workerEnv);
      workers.push(worker);
      await worker.waitForOutput(/persona worker waiting for runs/, 45_000);
      return worker;
    },
    killWorker,
    async mention() {
      await deliverWebhook({ probot: harness.probot, name: "issue_comment", payload });
    },
    holdModel() {
      let arrivals = 0;
      llm.setHandler(async (request) => {
        arrivals++;
        await new Promise<void>((resolve) => held.push(resolve));
        return commentingModel(request);
      });
      return {
        arrivals: () => arrivals,
        release: () => {
          llm.setHandler(commentingModel);
          for (const resolve of held) resolve();
          held = [];
        },
      };
    },
    statusEdits: () =>
      harness.github
        .calls("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}")
        .map((request) => (request.body as { body: string }).body),
    async heldKeys() {
      const keys = [
        ...(await harness.redis.keys(`${prefix}:history:*`)),
        ...(await harness.redis.keys(`${prefix}:run-owner:*`)),
        ...(await harness.redis.keys(`${prefix}:run-ticket:*`)),
      ];
      return keys.sort();
    },
    workerOutput: () => workers.map((worker) => worker.output()).join("\n"),
    async close() {
      for (const resolve of held) resolve();
      for (const worker of workers) await killWorker(worker);
      await harness.close();
      await history.close();
      await llm.close();
    },
  };
}
