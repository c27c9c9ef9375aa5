import type { Job, Queue } from "bullmq";
import { type PersonaJob, personaJobSchema } from "../../jobs/persona-job.js";
import { RedisKeys } from "../store/redis-keys.js";
import type { RedisScope } from "../store/redis-scope.js";
import { queuePersonaRun } from "./queue-persona-run.js";

/** How long a parked run can wait for the event that resumes it (a sign-in, a training job). */
const PARKED_RUN_TTL_SECONDS = 7 * 86_400;

const parkedKey = (keyPrefix: string, runId: string) => new RedisKeys(keyPrefix).parked(runId);

/** A run, by id, where runs are parked. */
type ParkedRun = RedisScope & { runId: string };

/**
 * Parks a run: the worker is freed, and the run's ids wait in Redis for whatever resumes it.
 * Ids only, like every job payload.
 */
export async function parkRun(params: ParkedRun & { job: PersonaJob }): Promise<void> {
  await params.redis.set(
    parkedKey(params.keyPrefix, params.runId),
    JSON.stringify(params.job),
    "EX",
    PARKED_RUN_TTL_SECONDS,
  );
}

/** Whether a run is parked: alive, though its persona job may be finished or long removed. */
export async function isRunParked(params: ParkedRun): Promise<boolean> {
  return (await params.redis.exists(parkedKey(params.keyPrefix, params.runId))) === 1;
}

/**
 * Takes a run off the parked list without resuming it (it is running again by other means).
 * @returns false when it was not parked (it expired, or something resumed it first).
 */
export async function unparkRun(params: ParkedRun): Promise<boolean> {
  return (await params.redis.del(parkedKey(params.keyPrefix, params.runId))) === 1;
}

/**
 * Resumes a parked run by queueing its persona job again under the same id; its stages skip
 * what they already did. Resuming twice queues it once.
 * @returns false when no run is parked under that id (it expired, or already resumed).
 */
export async function resumeRun(
  params: ParkedRun & {
    personaQueue: Queue;
    /** How long to wait for the attempt that parked to finish; default 30 s. */
    settleTimeoutMs?: number;
  },
): Promise<boolean> {
  const raw = await params.redis.getdel(parkedKey(params.keyPrefix, params.runId));
  if (!raw) return false;
  const job = personaJobSchema.parse(JSON.parse(raw));
  const previous = await params.personaQueue.getJob(params.runId);
  if (previous) {
    // The event can arrive while the attempt that parked is still finishing (it parks, shows the
    // status, then returns); BullMQ would drop a new job with the same id as a duplicate.
    try {
      await waitUntilSettled(previous, params.settleTimeoutMs ?? 30_000);
    } catch (error) {
      await parkRun({ ...params, job });
      throw error;
    }
    if (await previous.isCompleted()) await previous.remove();
  }
  await queuePersonaRun({ ...params, job });
  return true;
}

async function waitUntilSettled(job: Job, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await job.getState()) === "active") {
    if (Date.now() > deadline) {
      throw new Error(
        `run ${job.id} is still running after ${timeoutMs} ms; it stays parked, resume it again later`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
