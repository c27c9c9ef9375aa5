import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { type TrainPickupCheck, trainPickupCheckSchema } from "../../jobs/train-job.js";
import { getOutcome, getWait, waitKeys } from "../train/training-waiters.js";
import { resumeRun } from "./park-run.js";

export type PickupCheckOutcome = "not-waiting" | "started" | "timed-out";

/**
 * Runs when a waiting run's pickup time is up. If no GPU host has started its training job, the
 * run stops waiting and is resumed to review few-shot; the job stays queued, but it can only
 * train if the collected history is still in Redis when a GPU host takes it (the history stage
 * deletes it when the last run using it ends). A job already started is waited for.
 */
export async function processPickupCheck(params: {
  check: TrainPickupCheck;
  redis: Redis;
  keyPrefix: string;
  trainQueue: Queue;
  personaQueue: Queue;
  log: Logger;
}): Promise<PickupCheckOutcome> {
  const check = trainPickupCheckSchema.parse(params.check);
  const { redis, keyPrefix } = params;
  const wait = await getWait({ redis, keyPrefix, runId: check.runId });
  if (!wait || wait.trainJobId !== check.trainJobId) return "not-waiting";
  if (await getOutcome({ redis, keyPrefix, trainJobId: check.trainJobId })) return "not-waiting";
  const trainJob = await params.trainQueue.getJob(check.trainJobId);
  if (trainJob && (trainJob.attemptsStarted > 0 || trainJob.processedOn)) return "started";

  const keys = waitKeys(keyPrefix);
  await redis
    .multi()
    .set(keys.wait(check.runId), JSON.stringify({ ...wait, pickupTimedOut: true }), "KEEPTTL")
    .hdel(keys.waiters(check.trainJobId), check.runId)
    .exec();
  const resumed = await resumeRun({
    redis,
    keyPrefix,
    runId: check.runId,
    personaQueue: params.personaQueue,
  });
  params.log.info(
    { runId: check.runId, trainJobId: check.trainJobId, resumed },
    "no GPU host picked the training job up in time: run goes few-shot",
  );
  return "timed-out";
}
