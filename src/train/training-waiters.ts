import { z } from "zod";
import { type PersonaJob, personaJobSchema } from "../../jobs/persona-job.js";
import { RedisKeys } from "../store/redis-keys.js";
import { type RedisScope, readJsonKey } from "../store/redis-scope.js";

/** As long as a parked run may wait (park-run.ts keeps parked runs 7 days). */
const WAIT_TTL_SECONDS = 7 * 86_400;

/**
 * How a training job ended, for the runs that waited on it. Written by the training worker
 * before it resumes them, so a resumed run reads it instead of guessing from BullMQ state.
 */
export const trainOutcomeSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("published"),
    adapterName: z.string(),
    version: z.number().int().positive(),
  }),
  z.object({ kind: z.literal("failed"), message: z.string() }),
]);

export type TrainOutcome = z.infer<typeof trainOutcomeSchema>;

/** What a parked run waits for; `pickupTimedOut` is set when no GPU host started it in time. */
export const trainWaitSchema = z.object({
  trainJobId: z.string(),
  adapterName: z.string(),
  version: z.number().int().positive(),
  queuedAt: z.number(),
  pickupTimedOut: z.boolean().default(false),
});

export type TrainWait = z.infer<typeof trainWaitSchema>;

/**
 * Keys (`<p>` is QUEUE_PREFIX): `<p>:train-waiters:<trainJobId>` (hash runId → persona job,
 * ids only), `<p>:train-wait:<runId>` (the run's {@link TrainWait}),
 * `<p>:train-outcome:<trainJobId>` ({@link TrainOutcome}). All expire after 7 days.
 */
export function waitKeys(keyPrefix: string) {
  const keys = new RedisKeys(keyPrefix);
  return {
    waiters: (trainJobId: string) => keys.trainWaiters(trainJobId),
    wait: (runId: string) => keys.trainWait(runId),
    outcome: (trainJobId: string) => keys.trainOutcome(trainJobId),
  };
}

/** Registers a parked run as waiting for a training job, and what it waits for. */
export async function addWaiter(
  params: RedisScope & { runId: string; job: PersonaJob; wait: TrainWait },
): Promise<void> {
  const keys = waitKeys(params.keyPrefix);
  const waitersKey = keys.waiters(params.wait.trainJobId);
  await params.redis
    .multi()
    .set(keys.wait(params.runId), JSON.stringify(params.wait), "EX", WAIT_TTL_SECONDS)
    .hset(waitersKey, params.runId, JSON.stringify(params.job))
    .expire(waitersKey, WAIT_TTL_SECONDS)
    .exec();
}

/** The run's wait record, if it is (or was) waiting for a training job. */
export async function getWait(
  params: RedisScope & { runId: string },
): Promise<TrainWait | undefined> {
  return readJsonKey(params.redis, waitKeys(params.keyPrefix).wait(params.runId), trainWaitSchema);
}

/** Ends a run's wait: it has picked its model. */
export async function clearWait(
  params: RedisScope & { runId: string; trainJobId: string },
): Promise<void> {
  const keys = waitKeys(params.keyPrefix);
  await params.redis
    .multi()
    .del(keys.wait(params.runId))
    .hdel(keys.waiters(params.trainJobId), params.runId)
    .exec();
}

/** The runs waiting for a training job now, by run id (for progress bars). */
export async function listWaiters(
  params: RedisScope & { trainJobId: string },
): Promise<Map<string, PersonaJob>> {
  const raw = await params.redis.hgetall(waitKeys(params.keyPrefix).waiters(params.trainJobId));
  return new Map(
    Object.entries(raw).map(([runId, job]) => [runId, personaJobSchema.parse(JSON.parse(job))]),
  );
}

/**
 * Records how a training job ended and takes its waiters, atomically: a run that registers
 * afterwards sees the outcome instead (the stage checks it after registering).
 * @returns the run ids to resume.
 */
export async function settleTraining(
  params: RedisScope & { trainJobId: string; outcome: TrainOutcome },
): Promise<string[]> {
  const keys = waitKeys(params.keyPrefix);
  const results = await params.redis
    .multi()
    .set(keys.outcome(params.trainJobId), JSON.stringify(params.outcome), "EX", WAIT_TTL_SECONDS)
    .hkeys(keys.waiters(params.trainJobId))
    .del(keys.waiters(params.trainJobId))
    .exec();
  return (results?.[1]?.[1] as string[] | undefined) ?? [];
}

/** How a training job ended, once it has. */
export async function getOutcome(
  params: RedisScope & { trainJobId: string },
): Promise<TrainOutcome | undefined> {
  const key = waitKeys(params.keyPrefix).outcome(params.trainJobId);
  return readJsonKey(params.redis, key, trainOutcomeSchema);
}
