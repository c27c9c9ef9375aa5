import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import {
  type AdapterSubject,
  TRAIN_JOB_NAME,
  type TrainJob,
  trainJobId,
  trainJobSchema,
} from "../../jobs/train-job.js";
import { holdHistory } from "../history/release-history.js";
import { snapshotIndexForAdapter } from "../retrieval/retrieval-store.js";
import { registryKeys, reserveNextVersion } from "./adapter-registry.js";

const IN_FLIGHT_TTL_SECONDS = 7 * 86_400;
const FINISHED_STATES = new Set(["completed", "failed", "unknown"]);

/** The training job a run waits for. */
export interface QueuedTraining {
  trainJobId: string;
  adapterName: string;
  version: number;
  /** false when the run joined a job another run had queued. */
  queuedByThisRun: boolean;
}

/**
 * Joins the reviewer's training job in flight, or queues a new one under the next version.
 * Concurrent mentions of the same reviewer share one job: the `in-flight` key is taken with
 * SET NX, and a run that loses the race joins the winner's job (its reserved version is skipped;
 * versions only need to be new, not consecutive).
 */
export async function joinOrQueueTraining(params: {
  redis: Redis;
  keyPrefix: string;
  trainQueue: Queue;
  subject: AdapterSubject;
  datasetKey: string;
  baseModelName: string;
  feedbackSignal?: TrainJob["feedbackSignal"];
  runId: string;
  attempts: number;
  backoffMs?: number;
}): Promise<QueuedTraining> {
  const keys = registryKeys(params);
  for (;;) {
    const inFlightId = await params.redis.get(keys.inFlight);
    if (inFlightId) {
      const joined = await joinable(params.trainQueue, inFlightId);
      if (joined) return { ...joined, trainJobId: inFlightId, queuedByThisRun: false };
      // Left over from a job that ended without clearing it (a crash): take it over.
      await params.redis.eval(
        `if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) end return 0`,
        1,
        keys.inFlight,
        inFlightId,
      );
      continue;
    }
    const { version, adapterName } = await reserveNextVersion(params);
    const id = trainJobId({ ...params.subject, version });
    const taken = await params.redis.set(keys.inFlight, id, "EX", IN_FLIGHT_TTL_SECONDS, "NX");
    if (taken !== "OK") continue;
    const job: TrainJob = trainJobSchema.parse({
      ...params.subject,
      adapterName,
      version,
      datasetKey: params.datasetKey,
      baseModelName: params.baseModelName,
      requestedByRunId: params.runId,
      ...(params.feedbackSignal ? { feedbackSignal: params.feedbackSignal } : {}),
    });
    await params.trainQueue.add(TRAIN_JOB_NAME, job, {
      jobId: id,
      attempts: params.attempts,
      backoff: { type: "exponential", delay: params.backoffMs ?? 60_000 },
      removeOnComplete: { age: 7 * 86_400 },
      removeOnFail: { age: 30 * 86_400 },
    });
    // The adapter is asked with the precedents its training data was augmented from: keep the
    // index of the same collection under its name (src/retrieval/retrieval-store.ts).
    await snapshotIndexForAdapter({
      redis: params.redis,
      keyPrefix: params.keyPrefix,
      subject: params.subject,
      adapterName,
    });
    // The run may finish (few-shot after a pickup timeout) long before a GPU host reads the data.
    await holdHistory({
      redis: params.redis,
      keyPrefix: params.keyPrefix,
      subject: params.subject,
      holderId: id,
    });
    return { trainJobId: id, adapterName, version, queuedByThisRun: true };
  }
}

async function joinable(
  queue: Queue,
  id: string,
): Promise<{ adapterName: string; version: number } | undefined> {
  const job = await queue.getJob(id);
  if (!job || FINISHED_STATES.has(await job.getState())) return undefined;
  const data = trainJobSchema.parse(job.data);
  return { adapterName: data.adapterName, version: data.version };
}
