import { QueueEvents } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { adapterEvaluatedSchema, trainProgressSchema } from "../../jobs/train-job.js";
import type { GitHubClient } from "../github/github-client.js";
import { logQueueErrors } from "../store/log-queue-errors.js";
import { RedisKeys } from "../store/redis-keys.js";
import { renderTrainingStatus } from "../train/render-training-status.js";
import { getWait, listWaiters } from "../train/training-waiters.js";
import { fillEvaluationInStatus } from "./evaluation-watchers.js";
import { statusCommentRef, statusViewOf } from "./show-run-status.js";
import { createStatusReporter } from "./status-reporter.js";

export interface TrainingProgressRelay {
  /** Resolves once the relay is listening (events before that are not seen). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Shows training progress in the status comment of every run waiting for the job.
 *
 * Why here, in the persona worker process, through BullMQ's `QueueEvents`: the waiting runs are
 * parked (no job is running to edit their comment), and the GPU host that reports progress has
 * no GitHub credentials — it only needs Redis, and keeping the app's private key off GPU hosts
 * is worth an extra listener. Every persona worker replica receives every event, so the
 * at-most-one-edit-per-`minIntervalMs` throttle is a Redis `SET NX PX` per run, shared by all
 * replicas, not process memory. A missed event costs nothing: the next one carries the whole
 * state. "Started" and "retrying" skip the throttle (once per attempt, and worth seeing).
 * The job's last event, `evaluated`, fills the adapter's holdout figures into the status comments
 * of the runs that reviewed with it meanwhile (fillEvaluationInStatus); that one, if missed (no
 * persona worker listening), leaves those comments saying the evaluation runs, while the
 * dashboard, which reads the registry, has the figures.
 */
export function startTrainingProgressRelay(params: {
  trainQueueName: string;
  queuePrefix: string;
  /** A connection of its own: QueueEvents blocks on it. */
  connection: Redis;
  redis: Redis;
  keyPrefix: string;
  auth: (installationId: number) => Promise<GitHubClient>;
  minIntervalMs?: number;
  log: Logger;
}): TrainingProgressRelay {
  const log = params.log.child({ name: "training-progress" });
  const minIntervalMs = params.minIntervalMs ?? 5_000;
  const events = new QueueEvents(params.trainQueueName, {
    connection: params.connection,
    prefix: params.queuePrefix,
  });
  logQueueErrors(log, [events]);

  const relay = async (trainJobId: string, data: unknown) => {
    const evaluated = adapterEvaluatedSchema.safeParse(data);
    if (evaluated.success) {
      // The runs that reviewed with the adapter while it was evaluated: their figures.
      await fillEvaluationInStatus({ ...params, evaluated: evaluated.data, log });
      return;
    }
    const parsed = trainProgressSchema.safeParse(data);
    if (!parsed.success) return;
    const progress = parsed.data;
    const waiters = await listWaiters({
      redis: params.redis,
      keyPrefix: params.keyPrefix,
      trainJobId,
    });
    for (const [runId, job] of waiters) {
      if (progress.phase === "training") {
        const throttleKey = new RedisKeys(params.keyPrefix).trainProgressShown(runId);
        const mine = await params.redis.set(throttleKey, "1", "PX", minIntervalMs, "NX");
        if (mine !== "OK") continue;
      }
      const wait = await getWait({ redis: params.redis, keyPrefix: params.keyPrefix, runId });
      if (!wait) continue;
      const version = wait.version;
      const status = renderTrainingStatus({ reviewerLogin: job.reviewerLogin, version, progress });
      const reporter = createStatusReporter({
        octokit: await params.auth(job.installationId),
        ref: statusCommentRef(job),
        runId,
        view: statusViewOf(job),
      });
      // A follow-up's status comment last showed the few-shot review: say that it stands meanwhile.
      const details = job.afterTraining
        ? [
            ...status.details,
            "The few-shot review is already on this PR; the adapter's review will follow when training ends.",
          ]
        : status.details;
      await reporter.show(status.headline, details);
    }
  };
  // One event at a time, in order, so an older state never overwrites a newer one.
  let queue: Promise<void> = Promise.resolve();
  events.on("progress", ({ jobId, data }) => {
    queue = queue
      .then(() => relay(jobId, data))
      .catch((error: unknown) =>
        log.warn({ err: error, trainJobId: jobId }, "could not show training progress"),
      );
  });
  return {
    ready: () => events.waitUntilReady().then(() => undefined),
    close: () => events.close(),
  };
}
