import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { type PersonaJob, personaJobSchema } from "../../jobs/persona-job.js";

/** How long a parked run can wait for the event that resumes it (a sign-in, a training job). */
const PARKED_RUN_TTL_SECONDS = 7 * 86_400;

const parkedKey = (keyPrefix: string, runId: string) => `${keyPrefix}:parked:${runId}`;

/**
 * Parks a run: the worker is freed, and the run's ids wait in Redis for whatever resumes it.
 * Ids only, like every job payload.
 */
export async function parkRun(params: {
  redis: Redis;
  keyPrefix: string;
  runId: string;
  job: PersonaJob;
}): Promise<void> {
  await params.redis.set(
    parkedKey(params.keyPrefix, params.runId),
    JSON.stringify(params.job),
    "EX",
    PARKED_RUN_TTL_SECONDS,
  );
}

/**
 * Resumes a parked run by queueing its persona job again under the same id; its stages skip
 * what they already did. Resuming twice queues it once.
 * @returns false when no run is parked under that id (it expired, or already resumed).
 */
export async function resumeRun(params: {
  redis: Redis;
  keyPrefix: string;
  runId: string;
  personaQueue: Queue;
}): Promise<boolean> {
  const raw = await params.redis.getdel(parkedKey(params.keyPrefix, params.runId));
  if (!raw) return false;
  const job = personaJobSchema.parse(JSON.parse(raw));
  const previous = await params.personaQueue.getJob(params.runId);
  // The parked attempt completed; BullMQ would drop a new job with the same id as a duplicate.
  if (previous && (await previous.isCompleted())) await previous.remove();
  await params.personaQueue.add("persona-run", job, {
    jobId: params.runId,
    attempts: 3,
    backoff: { type: "exponential", delay: 30_000 },
    removeOnComplete: { age: 3_600 },
    removeOnFail: { age: 7 * 86_400 },
  });
  return true;
}
