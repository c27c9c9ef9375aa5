import type { Queue } from "bullmq";
import { type TrainJob, trainPickupCheckId } from "../../../jobs/train-job.js";
import { historyKeys } from "../../history/store-history.js";
import { type AdapterRecord, getCurrentAdapter } from "../../train/adapter-registry.js";
import { joinOrQueueTraining, type QueuedTraining } from "../../train/join-or-queue-training.js";
import { describeDuration } from "../../train/render-training-status.js";
import type { TrainConfig } from "../../train/train-config.js";
import {
  addWaiter,
  clearWait,
  getOutcome,
  getWait,
  type TrainWait,
} from "../../train/training-waiters.js";
import { linkWhereModelToAdapter } from "../../where/where-registry.js";
import { parkRun, unparkRun } from "../park-run.js";
import type { RunContext, RunStage, StageResult } from "../stage-contract.js";
import { endWithoutSecondReview, goFewShot, useAdapter } from "./choose-model.js";
import { registerFollowUpReview } from "./register-follow-up-review.js";

export interface TrainOrReuseParams {
  config: Pick<
    TrainConfig,
    | "TRAINING_ENABLED"
    | "TRAINING_PICKUP_TIMEOUT_SECONDS"
    | "TRAINING_ATTEMPTS"
    | "BASE_MODEL_NAME"
    | "REVIEW_WHILE_TRAINING"
  >;
  keyPrefix: string;
  trainQueue: Queue;
  /** Delayed pickup checks, processed by `startPickupCheckWorker` beside the persona worker. */
  pickupQueue: Queue;
  /** Backoff between training attempts (tests shorten it). */
  trainBackoffMs?: number;
}

/**
 * Third stage: picks the model that reviews and puts it on `context.session.model`.
 *
 * - The reviewer's current adapter for this repository, unless `--force-reload` (an adapter is
 *   looked up per repository only: it may have memorised private code).
 * - Too little history (`session.history.trainable` false) → few-shot.
 * - Training off (TRAINING_ENABLED=false) → few-shot, or the existing adapter under --force-reload.
 * - Otherwise joins or queues the training job and parks the run. The training worker resumes
 *   it when the adapter is published or training finally failed (→ few-shot, saying why); a
 *   delayed pickup check resumes it if no GPU host started the job in
 *   TRAINING_PICKUP_TIMEOUT_SECONDS (→ few-shot; the job stays queued for next time).
 * - REVIEW_WHILE_TRAINING: joins or queues the training job but does not wait: reviews few-shot
 *   at once and registers a follow-up run (`job.afterTraining`) that waits instead. The follow-up
 *   reviews with the new adapter, or ends without a second review if training failed or no host
 *   started it (its status says why).
 *
 * Reads `session.history` (set by the history stage) only when it has to train or go few-shot.
 */
export function createTrainOrReuseStage(params: TrainOrReuseParams): RunStage {
  return {
    name: "train-or-reuse",
    async run(context) {
      const session = context.session;
      if (session.model) return { kind: "done" };
      const wait = await getWait({ ...context, keyPrefix: params.keyPrefix });
      if (wait) return await afterWait(params, context, wait);

      const { job } = context;
      const current = await usableAdapter(params, context);
      // A retried follow-up whose wait already ended: the adapter it waited for, if still there.
      if (job.afterTraining) {
        if (current) return await useAdapter(context, current, "trained");
        return await endWithoutSecondReview(context, {
          cause: "the adapter it waited for is gone (deleted by `forget`, or its record expired)",
        });
      }
      if (current && !job.forceReload) return await useAdapter(context, current, "reused");

      const history = session.history;
      if (!history) {
        throw new Error(
          "The train stage needs session.history from the history stage: run the history stage before it",
        );
      }
      const comments = history.stats.comments;
      if (!history.trainable) {
        return await goFewShot(
          context,
          `\`${job.reviewerLogin}\` has ${comments} usable review comment${comments === 1 ? "" : "s"} in ${job.owner}/${job.repo}; training an adapter needs at least ${history.minimumComments}`,
        );
      }
      if (!params.config.TRAINING_ENABLED) {
        if (current)
          return await useAdapter(context, current, {
            retrainSkipped:
              "training is off (TRAINING_ENABLED=false), so --force-reload could not retrain",
          });
        return await goFewShot(
          context,
          "training is not enabled on this deployment (TRAINING_ENABLED=false)",
        );
      }
      // The history stage keeps the training JSONL in Redis under its TTL; the GPU host reads it.
      const datasetKey = historyKeys({
        keyPrefix: params.keyPrefix,
        subject: { owner: job.owner, repo: job.repo, reviewerLogin: job.reviewerLogin },
      }).train;
      return await queueAndPark(
        params,
        context,
        datasetKey,
        history.stats.trainExamples,
        history.stats.feedbackSignal,
      );
    },
  };
}

async function queueAndPark(
  params: TrainOrReuseParams,
  context: RunContext,
  datasetKey: string,
  comments: number,
  feedbackSignal?: TrainJob["feedbackSignal"],
): Promise<StageResult> {
  const { job, runId, redis } = context;
  const subject = { owner: job.owner, repo: job.repo, reviewerLogin: job.reviewerLogin };
  const training = await joinOrQueueTraining({
    redis,
    keyPrefix: params.keyPrefix,
    trainQueue: params.trainQueue,
    subject,
    datasetKey,
    baseModelName: params.config.BASE_MODEL_NAME,
    ...(feedbackSignal ? { feedbackSignal } : {}),
    runId,
    attempts: params.config.TRAINING_ATTEMPTS,
    ...(params.trainBackoffMs === undefined ? {} : { backoffMs: params.trainBackoffMs }),
  });
  // The where-model this run fitted from the same history carries the adapter's version.
  const collectedAt = context.session.history?.stats.collectedAt;
  if (collectedAt) {
    await linkWhereModelToAdapter({
      redis,
      keyPrefix: params.keyPrefix,
      subject,
      version: training.version,
      historyCollectedAt: collectedAt,
    });
  }
  const wait: TrainWait = {
    trainJobId: training.trainJobId,
    adapterName: training.adapterName,
    version: training.version,
    queuedAt: Date.now(),
    pickupTimedOut: false,
  };
  if (params.config.REVIEW_WHILE_TRAINING) {
    return await reviewWhileTraining(params, context, { training, wait, comments });
  }
  context.log.info({ ...training }, "waiting for a training job");
  await addWaiter({ redis, keyPrefix: params.keyPrefix, runId, job, wait });
  await parkRun({ redis, keyPrefix: params.keyPrefix, runId, job });
  const check = { runId, trainJobId: training.trainJobId };
  await params.pickupQueue.add("pickup-check", check, {
    jobId: trainPickupCheckId(check),
    delay: params.config.TRAINING_PICKUP_TIMEOUT_SECONDS * 1_000,
    removeOnComplete: true,
    removeOnFail: { age: 86_400 },
  });
  // The job may have ended while we registered; its worker then may not have seen us.
  if (await getOutcome({ redis, keyPrefix: params.keyPrefix, trainJobId: training.trainJobId })) {
    await unparkRun({ redis: context.redis, keyPrefix: params.keyPrefix, runId: context.runId });
    return await afterWait(params, context, wait);
  }
  await context.status.show(
    `⏳ Waiting for a training worker to train \`${job.reviewerLogin}\`'s adapter (v${training.version}) on ${comments} of their review comments.`,
    [
      training.queuedByThisRun
        ? "Training was queued for this run."
        : "Another review of the same reviewer queued this training; both wait for it.",
      `If no training worker starts it within ${describeDuration(params.config.TRAINING_PICKUP_TIMEOUT_SECONDS).replace("about ", "")}, I'll review with the base model and their past comments as examples instead.`,
    ],
  );
  return { kind: "parked", reason: `waiting for training job ${training.trainJobId}` };
}

/**
 * REVIEW_WHILE_TRAINING: few-shot now, and a follow-up run waits for the adapter. If the job had
 * already ended, this run takes its outcome instead (the follow-up was never going to run).
 */
async function reviewWhileTraining(
  params: TrainOrReuseParams,
  context: RunContext,
  queued: { training: QueuedTraining; wait: TrainWait; comments: number },
): Promise<StageResult> {
  const { job } = context;
  const { training, wait } = queued;
  const followUp = await registerFollowUpReview({
    redis: context.redis,
    keyPrefix: params.keyPrefix,
    pickupQueue: params.pickupQueue,
    pickupTimeoutSeconds: params.config.TRAINING_PICKUP_TIMEOUT_SECONDS,
    job,
    wait,
  });
  if (followUp.kind === "already-settled") return await afterWait(params, context, wait);
  context.log.info({ ...training, followUpRunId: followUp.runId }, "reviewing while training");
  const adapter = `\`${job.reviewerLogin}\`'s adapter (v${training.version})`;
  context.session.afterReviewNote = `A second review, from ${adapter}, will follow on this PR when its training ends; this comment will show the training's progress.`;
  return await goFewShot(
    context,
    `${adapter} is training on ${queued.comments} of their review comments in the background, and a second review from it will follow on this PR`,
    [
      training.queuedByThisRun
        ? "Training was queued for this run."
        : "Another review of the same reviewer queued this training; this PR gets a review from it too.",
      `If no training host starts it within ${describeDuration(params.config.TRAINING_PICKUP_TIMEOUT_SECONDS).replace("about ", "")}, this few-shot review stays the only one.`,
    ],
  );
}

/** The run was resumed (or retried) while waiting for a training job: see how it ended. */
async function afterWait(
  params: TrainOrReuseParams,
  context: RunContext,
  wait: TrainWait,
): Promise<StageResult> {
  const { redis, runId } = context;
  const keyPrefix = params.keyPrefix;
  const outcome = await getOutcome({ redis, keyPrefix, trainJobId: wait.trainJobId });
  const done = () => clearWait({ redis, keyPrefix, runId, trainJobId: wait.trainJobId });
  // A follow-up has had its few-shot review already: without the adapter it has nothing to add.
  const withoutAdapter = (cause: string) =>
    context.job.afterTraining
      ? endWithoutSecondReview(context, { version: wait.version, cause })
      : goFewShot(context, cause);
  if (outcome?.kind === "published") {
    await done();
    const current = await usableAdapter(params, context);
    if (current && current.version >= wait.version)
      return await useAdapter(context, current, "trained");
    return await withoutAdapter("the newly trained adapter was deleted before the review (forget)");
  }
  if (outcome?.kind === "failed") {
    await done();
    return await withoutAdapter(outcome.message);
  }
  if (wait.pickupTimedOut) {
    await done();
    return await withoutAdapter(
      `no training worker started training within ${describeDuration(params.config.TRAINING_PICKUP_TIMEOUT_SECONDS).replace("about ", "")}; the training job stays queued for when one does`,
    );
  }
  // Resumed before the job ended (a persona-job retry): keep waiting.
  await parkRun({ redis, keyPrefix, runId, job: context.job });
  await addWaiter({ redis, keyPrefix, runId, job: context.job, wait });
  if (await getOutcome({ redis, keyPrefix, trainJobId: wait.trainJobId })) {
    await unparkRun({ redis: context.redis, keyPrefix: keyPrefix, runId: context.runId });
    return await afterWait(params, context, wait);
  }
  return { kind: "parked", reason: `still waiting for training job ${wait.trainJobId}` };
}

/** The current adapter if vLLM can serve it: trained on the base model it serves now. */
async function usableAdapter(
  params: TrainOrReuseParams,
  context: RunContext,
): Promise<AdapterRecord | undefined> {
  const { job } = context;
  const current = await getCurrentAdapter({
    redis: context.redis,
    keyPrefix: params.keyPrefix,
    subject: { owner: job.owner, repo: job.repo, reviewerLogin: job.reviewerLogin },
  });
  if (current && current.baseModel !== params.config.BASE_MODEL_NAME) {
    context.log.info(
      { adapter: current.adapterName, baseModel: current.baseModel },
      "adapter was trained on another base model: not used",
    );
    return undefined;
  }
  return current;
}
