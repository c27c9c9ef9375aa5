import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Queue, type Worker } from "bullmq";
import { afterEach, describe, expect, it } from "vitest";
import { historyKeys } from "../../../src/history/store-history.js";
import {
  startTrainingProgressRelay,
  type TrainingProgressRelay,
} from "../../../src/run/relay-training-progress.js";
import type { RunSession, RunStage } from "../../../src/run/stage-contract.js";
import { createTrainOrReuseStage } from "../../../src/run/stages/train-or-reuse-stage.js";
import { startTrainWorker, type TrainWorker } from "../../../src/start/start-train-worker.js";
import { startPickupCheckWorker } from "../../../src/start/start-workers.js";
import { type TrainerHostConfig, trainConfigSchema } from "../../../src/train/train-config.js";
import { type AppHarness, startAppHarness } from "../../../support/app-harness.js";
import {
  deliverWebhook,
  eventually,
  issueCommentOnPullRequest,
} from "../../../support/webhooks.js";
import { exampleLines, fakeTrainer } from "../../train/train-kit.js";

let harness: AppHarness;
let trainQueue: Queue;
let pickupQueue: Queue;
let adaptersDir: string;
const closers: (() => Promise<unknown>)[] = [];
/** What each run's later stage saw on `session.model`, by pull request. */
let chosen: Map<number, NonNullable<RunSession["model"]>[]>;

afterEach(async () => {
  expect(harness.github.violations).toEqual([]);
  for (const close of closers.splice(0).reverse()) await close();
  await pickupQueue.close();
  await harness.close();
  await rm(adaptersDir, { recursive: true, force: true });
});

async function start(env: Record<string, string>, history = { comments: 40, enough: true }) {
  harness = await startAppHarness({ TRAINING_ENABLED: "true", ...env });
  const { github, config, names, redis } = harness;
  adaptersDir = await mkdtemp(join(tmpdir(), "adapters-"));
  trainQueue = harness.trainQueue;
  pickupQueue = new Queue(names.trainPickupChecks, {
    connection: redis,
    prefix: config.QUEUE_PREFIX,
  });
  chosen = new Map();
  github.on("GET /repos/{owner}/{repo}/collaborators/{username}/permission", {
    body: { permission: "write", role_name: "write" },
  });
  github.on("GET /repos/{owner}/{repo}/contents/{path}", {
    status: 404,
    body: { message: "Not Found" },
  });
  github.on("POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", {
    status: 201,
    body: { id: 1 },
  });
  github.on("GET /repos/{owner}/{repo}/pulls/{pull_number}", (req) => {
    const number = Number(req.pathname.split("/").pop());
    return {
      body: {
        number,
        html_url: `https://github.com/pull/${number}`,
        head: { sha: String(number).repeat(40).slice(0, 40) },
      },
    };
  });
  github.on("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", (req) => {
    // The status comment's id is the PR number × 100, so tests can tell the runs apart.
    const number = Number(req.pathname.split("/")[5]);
    return { status: 201, body: { id: number * 100, html_url: "https://github.com/c" } };
  });
  github.on("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", { body: { id: 1 } });

  // Stands in for the history stage: what it hands on, and the dataset it leaves in Redis.
  const historyStage: RunStage = {
    name: "history",
    async run(context) {
      const { job } = context;
      const datasetKey = historyKeys({
        keyPrefix: config.QUEUE_PREFIX,
        subject: { owner: job.owner, repo: job.repo, reviewerLogin: job.reviewerLogin },
      }).train;
      await context.redis.set(datasetKey, exampleLines(history.comments), "EX", 3_600);
      context.session.history = {
        runId: context.runId,
        trainable: history.enough,
        minimumComments: 20,
        stats: {
          repo: `${job.owner}/${job.repo}`,
          reviewerLogin: job.reviewerLogin,
          collectedAt: new Date().toISOString(),
          rawComments: history.comments,
          comments: history.comments,
          dropped: {},
          pulls: 10,
          pullsWithComments: 8,
          negatives: 5,
          commentsWithFullHunk: history.comments,
          trainExamples: history.comments,
          holdoutExamples: 0,
          commentRatePerHunk: 0.2,
          medianCommentChars: 40,
          medianTargetChars: 40,
          dateRange: null,
          requests: { graphql: 3, rest: 1 },
        },
      };
      return { kind: "done" };
    },
  };
  const recordModel: RunStage = {
    name: "review",
    async run(context) {
      const model = context.session.model;
      if (!model) throw new Error("no model chosen");
      chosen.set(context.job.pullNumber, [...(chosen.get(context.job.pullNumber) ?? []), model]);
      return { kind: "done" };
    },
  };
  harness.startIntake();
  harness.startPersona([
    historyStage,
    createTrainOrReuseStage({
      config,
      keyPrefix: config.QUEUE_PREFIX,
      trainQueue,
      pickupQueue,
      trainBackoffMs: 10,
    }),
    recordModel,
  ]);
  const pickupWorker: Worker = startPickupCheckWorker({
    config,
    queueName: names.trainPickupChecks,
    connection: redis.duplicate(),
    redis,
    trainQueue,
    personaQueue: harness.personaQueue,
    log: (await import("../../../support/capture-log.js")).captureLog().log,
  });
  closers.push(() => pickupWorker.close());
}

async function startRelay(minIntervalMs: number): Promise<TrainingProgressRelay> {
  const relay = startTrainingProgressRelay({
    trainQueueName: harness.names.trainAdapters,
    queuePrefix: harness.config.QUEUE_PREFIX,
    connection: harness.redis.duplicate(),
    redis: harness.redis,
    keyPrefix: harness.config.QUEUE_PREFIX,
    auth: (installationId) => harness.probot.auth(installationId),
    minIntervalMs,
    log: (await import("../../../support/capture-log.js")).captureLog().log,
  });
  await relay.ready();
  closers.push(() => relay.close());
  return relay;
}

function startTrainer(env: Record<string, string>): TrainWorker {
  const trainer = startTrainWorker({
    queueName: harness.names.trainAdapters,
    queuePrefix: harness.config.QUEUE_PREFIX,
    connection: harness.redis.duplicate(),
    redis: harness.redis,
    personaQueue: harness.personaQueue,
    config: trainConfigSchema.parse({
      ADAPTERS_DIR: adaptersDir,
      BASE_MODEL_DIR: "/models/tiny",
      ...env,
    }) as TrainerHostConfig,
    log: harness.probot.log,
  });
  closers.push(() => trainer.close());
  return trainer;
}

async function mention(pullNumber: number, body = "@tech-lead-bot alice") {
  await deliverWebhook({
    probot: harness.probot,
    name: "issue_comment",
    payload: issueCommentOnPullRequest({ body, pullNumber }),
  });
}

/** The status comment texts of one PR's run, in order. */
const statusOf = (pullNumber: number) =>
  harness.github
    .calls("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}")
    .filter((req) => req.pathname.endsWith(`/comments/${pullNumber * 100}`))
    .map((req) => (req.body as { body: string }).body);

const trainJobs = async () =>
  (await trainQueue.getJobs(["waiting", "active", "completed", "failed", "delayed"])).map(
    (job) => job.id,
  );

describe("a reviewer without an adapter", () => {
  it("trains one, shows its progress as a bar in the status comment, and reviews with it", async () => {
    await start({});
    await startRelay(1);
    await mention(1);
    await eventually(() =>
      expect(statusOf(1).at(-1)).toContain(
        "Waiting for a training worker to train `alice`'s adapter (v1) on 40",
      ),
    );
    process.env.FAKE_TRAINER_STEP_MS = "300";
    startTrainer(fakeTrainer("success"));
    await eventually(
      () =>
        expect(chosen.get(1)).toEqual([
          { kind: "adapter", name: "codertocat-hello-world-alice-v1", version: 1, trainedOn: 40 },
        ]),
      20_000,
    );
    delete process.env.FAKE_TRAINER_STEP_MS;
    const texts = statusOf(1);
    expect(texts).toContainEqual(
      expect.stringContaining("Training `alice`'s adapter (v1): step 2 of 3."),
    );
    expect(texts).toContainEqual(expect.stringMatching(/`█{13}░{7}` 66%/));
    expect(texts).toContainEqual(
      expect.stringContaining("loss 2.30 · 5,121 learned tokens/s · about 2 s left"),
    );
    // The edit settles after the stage that chose the model ran (a race on a loaded machine).
    await eventually(() =>
      expect(statusOf(1).at(-1)).toContain("Reviewing with `alice`'s adapter (v1)"),
    );
    expect(await readdir(adaptersDir)).toEqual(["codertocat-hello-world-alice-v1"]);

    // The next mention reuses it; --force-reload trains v2.
    await mention(2);
    await eventually(() =>
      expect(chosen.get(2)?.[0]).toMatchObject({ kind: "adapter", version: 1 }),
    );
    expect(statusOf(2).at(-1)).toContain(
      "Reusing the adapter trained on 40 of their review comments",
    );
    expect(await trainJobs()).toHaveLength(1);
    await mention(3, "@tech-lead-bot alice --force-reload");
    await eventually(
      () =>
        expect(chosen.get(3)?.[0]).toMatchObject({
          kind: "adapter",
          version: 2,
          name: "codertocat-hello-world-alice-v2",
        }),
      20_000,
    );
    expect((await readdir(adaptersDir)).sort()).toEqual([
      "codertocat-hello-world-alice-v1",
      "codertocat-hello-world-alice-v2",
    ]);
  });

  it("shares one training job between two mentions at once, and both runs get the adapter", async () => {
    await start({});
    await startRelay(1);
    await Promise.all([mention(1), mention(2)]);
    await eventually(() => {
      expect(statusOf(1).at(-1)).toContain("Waiting for a training worker");
      expect(statusOf(2).at(-1)).toContain("Waiting for a training worker");
    });
    expect(await trainJobs()).toEqual(["train/codertocat/hello-world/alice/v1"]);
    expect([statusOf(1).at(-1), statusOf(2).at(-1)].join()).toContain(
      "Another review of the same reviewer queued this training",
    );
    startTrainer(fakeTrainer("success"));
    await eventually(() => {
      expect(chosen.get(1)?.[0]).toMatchObject({ kind: "adapter", version: 1 });
      expect(chosen.get(2)?.[0]).toMatchObject({ kind: "adapter", version: 1 });
    }, 20_000);
    // Both waiting runs heard of the training. Status edits settle and only the newest is
    // written, so which progress step survives is a race: any relayed step counts.
    for (const pull of [1, 2]) {
      await eventually(() =>
        expect(statusOf(pull)).toContainEqual(expect.stringMatching(/step \d of 3/)),
      );
    }
  });

  it("edits a waiting run's status at most once per interval however fast the trainer reports", async () => {
    await start({});
    await startRelay(60_000);
    await mention(1);
    await eventually(() => expect(statusOf(1).at(-1)).toContain("Waiting for a training worker"));
    startTrainer(fakeTrainer("success"));
    await eventually(() => expect(chosen.get(1)).toBeDefined(), 20_000);
    const progressEdits = statusOf(1).filter((text) => /step \d of 3/.test(text));
    expect(progressEdits).toHaveLength(1);
    expect(statusOf(1)).toContainEqual(
      expect.stringContaining("A training worker started training"),
    );
  });

  it("reviews few-shot, saying why, when training finally fails", async () => {
    await start({});
    await mention(1);
    await eventually(() => expect(statusOf(1).at(-1)).toContain("Waiting for a training worker"));
    startTrainer(fakeTrainer("bad-input"));
    await eventually(() => expect(chosen.get(1)?.[0]?.kind).toBe("few-shot"), 20_000);
    // The status edit follows the choice (edits settle before they are written).
    await eventually(() =>
      expect(statusOf(1).at(-1)).toMatch(
        /Why: training failed and will not be retried: the trainer refused its input: dataset has 1 example/,
      ),
    );
  });

  it("reviews few-shot when no training worker picks the job up in time, and leaves the job queued", async () => {
    await start({ TRAINING_PICKUP_TIMEOUT_SECONDS: "1" });
    await mention(1);
    await eventually(
      () =>
        expect(chosen.get(1)?.[0]).toEqual({
          kind: "few-shot",
          reason:
            "no training worker started training within 1 s; the training job stays queued for when one does",
        }),
      15_000,
    );
    // Status edits settle before they are written (no edit holds up a review).
    await eventually(() =>
      expect(statusOf(1).at(-1)).toContain(
        "Reviewing with the base model and `alice`'s past comments as examples",
      ),
    );
    expect(await trainQueue.getJobCounts("waiting")).toEqual({ waiting: 1 });
  });

  it.each([
    [
      { TRAINING_ENABLED: "false" },
      { comments: 40, enough: true },
      "training is not enabled on this deployment (TRAINING_ENABLED=false)",
    ],
    [
      {},
      { comments: 3, enough: false },
      "`alice` has 3 usable review comments in Codertocat/Hello-World; training an adapter needs at least 20",
    ],
  ])("goes few-shot without queueing training (%j, %j)", async (env, history, reason) => {
    await start(env, history);
    await mention(1);
    await eventually(() => expect(chosen.get(1)).toEqual([{ kind: "few-shot", reason }]));
    await eventually(() => expect(statusOf(1).at(-1)).toContain(`Why: ${reason}.`));
    expect(await trainJobs()).toEqual([]);
  });
});

describe("REVIEW_WHILE_TRAINING=true", () => {
  const reviewingWhileTraining = {
    kind: "few-shot",
    reason:
      "`alice`'s adapter (v1) is training on 40 of their review comments in the background, and a second review from it will follow on this PR",
  };

  it("goes few-shot at once, and a follow-up run picks the adapter once it is trained", async () => {
    await start({ REVIEW_WHILE_TRAINING: "true" });
    await startRelay(1);
    await mention(1);
    await eventually(() => expect(chosen.get(1)).toEqual([reviewingWhileTraining]));
    expect(await trainJobs()).toEqual(["train/codertocat/hello-world/alice/v1"]);
    // The follow-up waits on the training job under its own run id, parked.
    const followUpRunId = `persona/codertocat/hello-world/1/${"1".repeat(40)}/alice/reuse/after-training`;
    expect(
      await harness.redis.exists(`${harness.config.QUEUE_PREFIX}:parked:${followUpRunId}`),
    ).toBe(1);
    startTrainer(fakeTrainer("success"));
    await eventually(
      () =>
        expect(chosen.get(1)).toEqual([
          reviewingWhileTraining,
          { kind: "adapter", name: "codertocat-hello-world-alice-v1", version: 1, trainedOn: 40 },
        ]),
      20_000,
    );
    await eventually(() =>
      expect(statusOf(1).at(-1)).toContain("Reviewing with `alice`'s adapter (v1)"),
    );
    // While it trained, the progress shown on the PR said the few-shot review stands meanwhile.
    expect(statusOf(1)).toContainEqual(
      expect.stringMatching(
        /Training `alice`'s adapter \(v1\): step \d of 3[\s\S]*The few-shot review is already on this PR/,
      ),
    );
  });

  it("ends the follow-up without a second review when no training host starts the job in time", async () => {
    await start({ REVIEW_WHILE_TRAINING: "true", TRAINING_PICKUP_TIMEOUT_SECONDS: "1" });
    await mention(1);
    await eventually(() => expect(chosen.get(1)).toEqual([reviewingWhileTraining]));
    await eventually(
      () =>
        expect(statusOf(1).at(-1)).toContain(
          "No second review from `alice`'s adapter (v1): the few-shot review on this PR stands.",
        ),
      15_000,
    );
    expect(statusOf(1).at(-1)).toContain(
      "Why: no training worker started training within 1 s; the training job stays queued for when one does.",
    );
    expect(chosen.get(1)).toHaveLength(1);
    expect(await trainQueue.getJobCounts("waiting")).toEqual({ waiting: 1 });
  });
});
