import { readFileSync } from "node:fs";
import type { Worker, WorkerOptions } from "bullmq";
import { expect } from "vitest";
import { readRepoConfigFile } from "../../../src/github/read-repo-config-file.js";
import { holdHistory, releaseHistory } from "../../../src/history/release-history.js";
import { historyKeys } from "../../../src/history/store-history.js";
import { createLlmClient } from "../../../src/llm/create-llm-client.js";
import { loadReviewPrompts } from "../../../src/review/load-review-prompts.js";
import type { RunContext, RunStage } from "../../../src/run/stage-contract.js";
import { createCheckReviewedHeadStage } from "../../../src/run/stages/check-reviewed-head-stage.js";
import { createReviewStage } from "../../../src/run/stages/review-stage.js";
import { botOctokit } from "../../../src/start/bot-octokit.js";
import { type AppHarness, startAppHarness } from "../../../support/app-harness.js";
import {
  type FakeLlmHandler,
  type FakeOpenAiServer,
  lastUserMessage,
  startFakeOpenAiServer,
} from "../../../support/llm/fake-openai-server.js";
import { type StatefulPull, serveStatefulPull } from "../../../support/stateful-pull.js";
import {
  deliverWebhook,
  eventually,
  issueCommentOnPullRequest,
} from "../../../support/webhooks.js";

export const HEAD_SHA = "4".repeat(40);
const SUBJECT = { owner: "Codertocat", repo: "Hello-World", reviewerLogin: "alice" };

export function readDiff(name: string): string {
  return readFileSync(new URL(`../../fixtures/diffs/${name}`, import.meta.url), "utf8");
}

/** The stand-in model: comments on each hunk's first changed line, a sentence for the summary. */
export const commentingModel: FakeLlmHandler = (request) => {
  const hunk = lastUserMessage(request);
  if (!hunk.startsWith("File: ")) return { text: "This pull request changes a check." };
  const anchor = /^([RL]\d+) +[+-]/m.exec(hunk)?.[1] ?? "R1";
  return { text: `${anchor}: Is this covered by a test?`, noCommentProbability: 0.1 };
};

/**
 * Stands in for the collect-history stage's use of Redis: the run holds the reviewer's scraped
 * history (a key of it is written) and releases it when the run finishes, as that stage does.
 * Fault tests check that every way a run ends gives it back.
 */
function holdHistoryStage(
  keyPrefix: string,
  gate: () => Promise<void>,
  entered: () => void,
): RunStage {
  return {
    name: "collect-history",
    async run(context: RunContext) {
      entered();
      await holdHistory({
        redis: context.redis,
        keyPrefix,
        subject: SUBJECT,
        holderId: context.runId,
      });
      // The checkpoint: a string key, as the real stage writes it (the comments are a hash that
      // the review stage's precedent search reads).
      await context.redis.set(
        historyKeys({ keyPrefix, subject: SUBJECT }).checkpoint,
        "[]",
        "EX",
        3600,
      );
      await gate();
      return { kind: "done" };
    },
    async finish(context) {
      await releaseHistory({
        redis: context.redis,
        keyPrefix,
        subject: SUBJECT,
        runId: context.runId,
      });
    },
  };
}

export interface FaultKit {
  harness: AppHarness;
  pull: StatefulPull;
  llm: FakeOpenAiServer;
  /** Starts a persona worker (several may run, as after a restart). */
  startWorker(workerOptions?: Partial<WorkerOptions>): Worker;
  /** Posts `@tech-lead-bot alice` on PR #1 as a signed webhook. */
  mention(options?: { deliveryId?: string; commentId?: number }): Promise<void>;
  /** Set to a promise to hold runs inside the history stage (to kill their worker there). */
  holdRunsIn: { gate: () => Promise<void> };
  /** Exactly one status comment, final (✅ or ❌), and no history, owner or ticket left in Redis. */
  expectOneFinalStatus(): Promise<string>;
  historyLeft(): Promise<string[]>;
  /** How many times a run entered the history stage. */
  historyCollections(): number;
  /** Every text the status comment was edited to, in order. */
  statusEdits(): string[];
  close(): Promise<void>;
}

export async function startFaultKit(params: {
  diff?: string;
  llm?: FakeLlmHandler;
  env?: Record<string, string>;
  /** Another Redis than the shared one (a private redis-server a test restarts). */
  redisUrl?: string;
}): Promise<FaultKit> {
  const llm = await startFakeOpenAiServer(params.llm ?? commentingModel);
  const harness = await startAppHarness(
    {
      LLM_BASE_URL: llm.baseUrl,
      LLM_MAX_RETRIES: "0",
      STATUS_UPDATE_INTERVAL_MS: "60000",
      ...params.env,
    },
    // What `npm start` / `npm run worker` use (retries, throttling), with short retry pauses.
    {
      octokit: botOctokit({ retryBaseMs: 20 }),
      ...(params.redisUrl ? { redisUrl: params.redisUrl } : {}),
    },
  );
  const pull = serveStatefulPull(harness.github, {
    headSha: HEAD_SHA,
    diff: params.diff ?? readDiff("mixed-changes.diff"),
  });
  harness.startIntake();
  const keyPrefix = harness.config.QUEUE_PREFIX;
  const holdRunsIn = { gate: async () => {} };
  let historyCollections = 0;
  const stages = [
    createCheckReviewedHeadStage(),
    holdHistoryStage(
      keyPrefix,
      () => holdRunsIn.gate(),
      () => historyCollections++,
    ),
    createReviewStage({
      config: harness.config,
      templates: await loadReviewPrompts(),
      llm: createLlmClient({
        baseUrl: llm.baseUrl,
        apiKey: "none",
        timeoutMs: harness.config.LLM_TIMEOUT_MS,
        maxRetries: 0,
      }),
      readRepoConfig: async ({ job }) =>
        readRepoConfigFile({
          octokit: await harness.probot.auth(job.installationId),
          owner: job.owner,
          repo: job.repo,
        }),
    }),
  ];
  const historyLeft = async () => {
    const keys = historyKeys({ keyPrefix, subject: SUBJECT });
    const left: string[] = [];
    for (const key of [keys.checkpoint, keys.runs])
      if (await harness.redis.exists(key)) left.push(key);
    return left;
  };
  return {
    harness,
    pull,
    llm,
    holdRunsIn,
    startWorker: (workerOptions) => harness.startPersona(stages, workerOptions),
    async mention(options = {}) {
      await deliverWebhook({
        probot: harness.probot,
        name: "issue_comment",
        payload: issueCommentOnPullRequest({
          body: "@tech-lead-bot alice",
          ...(options.commentId ? { commentId: options.commentId } : {}),
        }),
        ...(options.deliveryId ? { deliveryId: options.deliveryId } : {}),
      });
    },
    historyLeft,
    historyCollections: () => historyCollections,
    async expectOneFinalStatus() {
      const [status] = pull.statusComments();
      expect(pull.statusComments()).toHaveLength(1);
      expect(status?.body).toMatch(/\n(✅|❌)/);
      // The status goes final a moment before the worker ends the job and releases the history.
      await eventually(async () => {
        expect(await historyLeft()).toEqual([]);
        expect(await harness.redis.keys(`${keyPrefix}:run-owner:*`)).toEqual([]);
        expect(await harness.redis.keys(`${keyPrefix}:run-ticket:*`)).toEqual([]);
      });
      expect(harness.github.violations).toEqual([]);
      return status?.body ?? "";
    },
    statusEdits: () =>
      harness.github
        .calls("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}")
        .map((request) => (request.body as { body: string }).body),
    async close() {
      await harness.close();
      await llm.close();
    },
  };
}

/** Waits until the run's status comment shows a final state. */
export async function waitForFinalStatus(kit: FaultKit, timeoutMs = 20_000): Promise<string> {
  return eventually(() => {
    const body = kit.pull.statusComments()[0]?.body ?? "";
    expect(body).toMatch(/\n(✅|❌)/);
    return body;
  }, timeoutMs);
}
