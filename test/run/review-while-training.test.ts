import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { startTrainingProgressRelay } from "../../src/run/relay-training-progress.js";
import { startTrainWorker } from "../../src/start/start-train-worker.js";
import type { EvaluateAdapter } from "../../src/train/evaluate-new-adapter.js";
import { type TrainerHostConfig, trainConfigSchema } from "../../src/train/train-config.js";
import { captureLog } from "../../support/capture-log.js";
import { eventually } from "../../support/webhooks.js";
import { fakeTrainer } from "../train/train-kit.js";
import { type FullRunKit, HEAD_SHA, startFullRun } from "./support/full-run-kit.js";

/**
 * REVIEW_WHILE_TRAINING=true, the embedded CPU stack's setting: one mention of a reviewer with
 * enough history gets a few-shot review at once, and a second review from the adapter once the
 * (stand-in) trainer has published it — or, if training fails, a status that says the few-shot
 * review stands. Real Redis, the stand-in GitHub (which lists the reviews the bot posted, so the
 * complete-review marker and fingerprints are really read back) and the stand-in LLM.
 */
const DIFF = readFileSync(new URL("../fixtures/diffs/mixed-changes.diff", import.meta.url), "utf8");
const ADAPTER = "codertocat-hello-world-alice-v1";
const FOLLOW_UP_RUN_ID = `persona/codertocat/hello-world/1/${HEAD_SHA}/alice/reuse/after-training`;

let kit: FullRunKit;
let adaptersDir: string;
const closers: (() => Promise<unknown>)[] = [];

interface PostedReview {
  body: string;
  comments: { path: string; line: number; side: string; body: string }[];
}

beforeEach(async () => {
  adaptersDir = await mkdtemp(join(tmpdir(), "adapters-"));
  kit = await startFullRun({
    diff: DIFF,
    training: true,
    env: { TRAINING_ENABLED: "true", REVIEW_WHILE_TRAINING: "true" },
    llm: (request) => {
      if (request.messages[0]?.content.startsWith("You write the first sentence"))
        return { text: "This pull request reorganises the server code." };
      const hunk = request.messages.at(-1)?.content ?? "";
      const anchor = /^(R\d+)/m.exec(
        hunk.split("\n").find((line) => /^R\d+ *[+]/.test(line)) ?? "",
      )?.[1];
      const who = request.model === ADAPTER ? "adapter" : "base";
      return anchor
        ? { text: `${anchor}: (${who}) please add a test for this`, noCommentProbability: 0.05 }
        : { text: "NO_COMMENT", noCommentProbability: 0.99 };
    },
  });
  // GitHub lists what the bot posted, so later runs read their markers back as they would.
  const { github } = kit.harness;
  github.on("POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews", () => {
    const id = kit.reviews().length;
    return {
      body: { id, html_url: `https://github.example/pull/1#pullrequestreview-${id}` },
    };
  });
  github.on("GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews", (req) => ({
    body:
      req.query.get("page") === "1" || !req.query.get("page")
        ? kit.reviews().map((posted, index) => ({
            id: index + 1,
            user: { login: "tech-lead-bot[bot]", type: "Bot" },
            body: (posted.body as PostedReview).body,
            html_url: `https://github.example/pull/1#pullrequestreview-${index + 1}`,
            state: "COMMENTED",
            commit_id: HEAD_SHA,
          }))
        : [],
  }));
});

afterEach(async () => {
  expect(kit.harness.github.violations).toEqual([]);
  for (const close of closers.splice(0).reverse()) await close();
  await kit.close();
  await rm(adaptersDir, { recursive: true, force: true });
});

function startTrainer(mode: string, evaluate?: EvaluateAdapter) {
  const { harness } = kit;
  const trainer = startTrainWorker({
    ...(evaluate ? { evaluate } : {}),
    queueName: harness.names.trainAdapters,
    queuePrefix: harness.config.QUEUE_PREFIX,
    connection: harness.redis.duplicate(),
    redis: harness.redis,
    personaQueue: harness.personaQueue,
    config: trainConfigSchema.parse({
      ADAPTERS_DIR: adaptersDir,
      BASE_MODEL_DIR: "/models/tiny",
      BASE_MODEL_NAME: harness.config.BASE_MODEL_NAME,
      // The embedded stack's CPU profile, which trains on the system turn's first paragraph.
      TRAINING_PROFILE: "smollm2-135m",
      ...fakeTrainer(mode),
    }) as TrainerHostConfig,
    log: captureLog().log,
  });
  closers.push(() => trainer.close());
}

const reviewBodies = () => kit.reviews().map((request) => request.body as PostedReview);

/** Mention, sign in, and wait for the few-shot review; the training job is queued meanwhile. */
async function mentionAndGetFewShotReview(): Promise<PostedReview> {
  await kit.mention("@tech-lead-bot alice");
  await kit.signIn();
  const [fewShot] = await eventually(() => {
    expect(reviewBodies()).toHaveLength(1);
    return reviewBodies();
  }, 20_000);
  if (!fewShot) throw new Error("no review");
  expect(fewShot.body).toMatch(
    /few-shot, no adapter yet: `alice`'s adapter \(v1\) is training on \d+ of their review comments in the background, and a second review from it will follow on this PR/,
  );
  expect(fewShot.comments.length).toBeGreaterThan(0);
  expect(fewShot.comments.every((comment) => comment.body.includes("(base)"))).toBe(true);
  expect((await kit.harness.trainQueue.getJobs(["waiting"])).map((job) => job.id)).toEqual([
    "train/codertocat/hello-world/alice/v1",
  ]);
  // The status links the few-shot review and says that another one follows.
  await eventually(() => {
    const last = kit.statusBodies().at(-1) ?? "";
    expect(last).toContain("pullrequestreview-1");
    expect(last).toContain(
      "A second review, from `alice`'s adapter (v1), will follow on this PR when its training ends",
    );
  });
  return fewShot;
}

it("posts a few-shot review at once, then exactly one review from the adapter once it is trained", async () => {
  await mentionAndGetFewShotReview();
  startTrainer("success");

  const adapterReview = await eventually(() => {
    expect(reviewBodies()).toHaveLength(2);
    return reviewBodies()[1] as PostedReview;
  }, 30_000);
  expect(adapterReview.body).toContain("adapter v1, trained on");
  expect(adapterReview.comments.length).toBeGreaterThan(0);
  expect(adapterReview.comments.every((comment) => comment.body.includes("(adapter)"))).toBe(true);
  // The adapter is asked with the system turn it was trained on; the base model with all of it.
  const systemTurns = (model: string) =>
    new Set(
      kit.llm.requests
        .map((request) => (request.model === model ? request.messages[0]?.content : undefined))
        .filter((turn) => turn?.startsWith("You predict how")),
    );
  expect([...systemTurns(ADAPTER)]).toEqual([
    "You predict how alice reviews pull requests in the repository Codertocat/Hello-World. You are a model of their habits, not alice themselves.",
  ]);
  expect(systemTurns(kit.harness.config.BASE_MODEL_NAME).size).toBeGreaterThan(0);
  expect(
    [...systemTurns(kit.harness.config.BASE_MODEL_NAME)].every((turn) =>
      turn?.includes("Answer with exactly one line"),
    ),
  ).toBe(true);
  await eventually(() => expect(kit.statusBodies().at(-1)).toContain("pullrequestreview-2"));

  // The follow-up finished under its own run id, and nothing posts a third review.
  const followUp = await kit.harness.personaQueue.getJob(FOLLOW_UP_RUN_ID);
  await eventually(async () => expect(await followUp?.isCompleted()).toBe(true));
  expect(followUp?.data).toMatchObject({ afterTraining: true, reviewerLogin: "alice" });
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  expect(reviewBodies()).toHaveLength(2);
});

it("ends the follow-up without a second review when training fails, and says the few-shot review stands", async () => {
  await mentionAndGetFewShotReview();
  startTrainer("bad-input");

  await eventually(() => {
    const last = kit.statusBodies().at(-1) ?? "";
    expect(last).toContain(
      "No second review from `alice`'s adapter (v1): the few-shot review on this PR stands.",
    );
    expect(last).toMatch(
      /Why: training failed and will not be retried: the trainer refused its input/,
    );
  }, 30_000);
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  expect(reviewBodies()).toHaveLength(1);
  expect(kit.llm.requests.some((request) => request.model === ADAPTER)).toBe(false);
});

it("posts the adapter's review before its holdout evaluation ends, then fills the figures into the status", async () => {
  // The training-progress relay of the persona worker process, which edits status comments.
  const { harness } = kit;
  const relay = startTrainingProgressRelay({
    trainQueueName: harness.names.trainAdapters,
    queuePrefix: harness.config.QUEUE_PREFIX,
    connection: harness.redis.duplicate(),
    redis: harness.redis,
    keyPrefix: harness.config.QUEUE_PREFIX,
    auth: (installationId) => harness.probot.auth(installationId),
    log: captureLog().log,
  });
  await relay.ready();
  closers.push(() => relay.close());
  // GitHub answers a status comment with its last edit, as it would.
  harness.github.on("GET /repos/{owner}/{repo}/issues/comments/{comment_id}", (req) => ({
    body: {
      id: Number(req.pathname.split("/").at(-1)),
      body: `${kit.statusBodies().at(-1) ?? ""}`,
      html_url: "https://github.example/pull/1#issuecomment-1",
    },
  }));
  await mentionAndGetFewShotReview();
  // A stand-in evaluation that blocks until released, as a 9-minute CPU evaluation would.
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let evaluating = false;
  startTrainer("success", async () => {
    evaluating = true;
    await released;
    return {
      scores: { "adapter.comment_f1": 55 },
      summary: "holdout: comment-where F1 0.55, similarity 0.40 vs 0.31 few-shot",
    };
  });

  const running =
    "📊 The holdout evaluation of adapter v1 runs after this review; its figures will replace this line when it ends.";
  const adapterReview = await eventually(() => {
    expect(reviewBodies()).toHaveLength(2);
    return reviewBodies()[1] as PostedReview;
  }, 30_000);
  expect(evaluating).toBe(true);
  expect(adapterReview.body).toContain("adapter v1, trained on");
  expect(adapterReview.body).not.toContain("holdout:");
  await eventually(() => {
    const last = kit.statusBodies().at(-1) ?? "";
    expect(last).toContain("pullrequestreview-2");
    expect(last).toContain(`- ${running}`);
  });

  release();
  await eventually(() => {
    const last = kit.statusBodies().at(-1) ?? "";
    expect(last).toContain("pullrequestreview-2");
    expect(last).toContain(
      "- 📊 Adapter v1, evaluated after this review: holdout: comment-where F1 0.55, similarity 0.40 vs 0.31 few-shot.",
    );
    expect(last).not.toContain(running);
  }, 20_000);
  // Still exactly one review from the adapter.
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  expect(reviewBodies()).toHaveLength(2);
});
