import { Octokit } from "@octokit/core";
import type { Redis } from "ioredis";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { PersonaJob } from "../../jobs/persona-job.js";
import {
  evaluationEndedLine,
  evaluationRunningLine,
  fillEvaluationInStatus,
  followAdapterEvaluation,
} from "../../src/run/evaluation-watchers.js";
import type { RunContext } from "../../src/run/stage-contract.js";
import { type AdapterRecord, recordAdapter } from "../../src/train/adapter-registry.js";
import { captureLog } from "../../support/capture-log.js";
import { type FakeGitHub, startFakeGitHub } from "../../support/fake-github.js";
import { connectTestRedis, deleteKeys, uniqueName } from "../../support/redis.js";

/**
 * How a run that reviewed with an adapter still being evaluated gets the figures into its status
 * comment: by itself when the evaluation ended before it looked again, or through the relay
 * (fillEvaluationInStatus), which edits only a comment still saying the evaluation runs.
 */
const JOB: PersonaJob = {
  installationId: 4242,
  owner: "acme",
  repo: "widgets",
  pullNumber: 7,
  headSha: "1111111111111111111111111111111111111111",
  requesterLogin: "octo-dev",
  requesterId: 1,
  reviewerLogin: "alice",
  forceReload: false,
  statusCommentId: 99,
  afterTraining: true,
};
const RUN_ID = "persona/acme/widgets/7/1111111111111111111111111111111111111111/alice/reuse";
const ADAPTER = { adapterName: "acme-widgets-alice-v1", version: 1 };
const RECORD: AdapterRecord = {
  ...ADAPTER,
  baseModel: "base",
  trainedAt: "2026-12-06T00:00:00.000Z",
  examples: 10,
  steps: 3,
  trainSeconds: 12,
  scores: {},
  evaluationPending: true,
};
const LAST = { headline: "✅ [Review posted](https://github.example/r/2).", details: ["took 3 s"] };

let redis: Redis;
let keyPrefix: string;
let github: FakeGitHub | undefined;

beforeEach(async () => {
  redis = await connectTestRedis();
  keyPrefix = uniqueName("eval-watch");
});

afterEach(async () => {
  expect(github?.violations ?? []).toEqual([]);
  await github?.close();
  github = undefined;
  await deleteKeys(redis, `${keyPrefix}:*`);
  await redis.quit();
});

/** A run context whose status comment is a list of the states shown, flushed or not. */
function runContext() {
  const shown: { headline: string; details?: string[] }[] = [];
  let flushes = 0;
  const context = {
    runId: RUN_ID,
    job: JOB,
    redis,
    log: captureLog().log,
    session: {},
    status: {
      show: async (headline: string, details?: string[]) => {
        shown.push(details ? { headline, details } : { headline });
      },
      progress: async () => undefined,
      flush: async () => {
        flushes++;
      },
    },
  } as unknown as RunContext;
  return { context, shown, flushes: () => flushes };
}

const watchers = () => redis.hkeys(`${keyPrefix}:evaluation-watchers:${ADAPTER.adapterName}`);

describe("a run that reviewed while its adapter was evaluated", () => {
  it("writes that the evaluation runs and watches it, while it still runs", async () => {
    await recordAdapter({ redis, keyPrefix, subject: JOB, adapter: RECORD });
    const { context, shown, flushes } = runContext();
    await followAdapterEvaluation({ context, keyPrefix, adapter: ADAPTER, last: LAST });
    expect(shown).toEqual([
      { headline: LAST.headline, details: [...LAST.details, evaluationRunningLine(1)] },
    ]);
    expect(flushes()).toBe(1);
    expect(await watchers()).toEqual([RUN_ID]);
  });

  it("writes the figures itself when the evaluation ended before it looked again", async () => {
    const { evaluationPending: _, ...evaluated } = RECORD;
    await recordAdapter({
      redis,
      keyPrefix,
      subject: JOB,
      adapter: {
        ...evaluated,
        scores: { "adapter.comment_f1": 40 },
        evaluation: "holdout: F1 0.40",
      },
    });
    const { context, shown } = runContext();
    await followAdapterEvaluation({ context, keyPrefix, adapter: ADAPTER, last: LAST });
    expect(shown.at(-1)).toEqual({
      headline: LAST.headline,
      details: [...LAST.details, evaluationEndedLine({ version: 1, summary: "holdout: F1 0.40" })],
    });
    expect(await watchers()).toEqual([]);
  });
});

describe("the relay, when the evaluation ends", () => {
  async function watchedComment(body: string) {
    github = await startFakeGitHub();
    github.on("GET /repos/{owner}/{repo}/issues/comments/{comment_id}", {
      body: { id: 99, body },
    });
    github.on("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", { body: { id: 99 } });
    await redis.hset(
      `${keyPrefix}:evaluation-watchers:${ADAPTER.adapterName}`,
      RUN_ID,
      JSON.stringify(JOB),
    );
    const octokit = new Octokit({ baseUrl: github.apiBaseUrl, auth: "ghs_test" });
    return fillEvaluationInStatus({
      redis,
      keyPrefix,
      evaluated: { phase: "evaluated", ...ADAPTER, summary: "holdout: F1 0.40" },
      auth: async () => octokit,
      log: captureLog().log,
    });
  }

  it("replaces the running line with the figures, once", async () => {
    const body = `<!-- tech-lead-bot:status run=${RUN_ID} -->\n${LAST.headline}\n\n- took 3 s\n- ${evaluationRunningLine(1)}\n\n<sub>…</sub>`;
    expect(await watchedComment(body)).toBe(1);
    const patches = github?.calls("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}");
    expect(patches?.map((patch) => (patch.body as { body: string }).body)).toEqual([
      body.replace(
        evaluationRunningLine(1),
        evaluationEndedLine({ version: 1, summary: "holdout: F1 0.40" }),
      ),
    ]);
    expect(await watchers()).toEqual([]);
  });

  it("leaves a comment alone that no longer says the evaluation runs", async () => {
    const body = `<!-- tech-lead-bot:status run=${RUN_ID} -->\n✅ Nothing new to review.`;
    expect(await watchedComment(body)).toBe(0);
    expect(github?.calls("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}")).toEqual([]);
    expect(await watchers()).toEqual([]);
  });
});
