import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { AdapterSubject } from "../../jobs/train-job.js";
import { releaseHistory } from "../history/release-history.js";
import { registryKeys } from "./adapter-registry.js";
import { settleTraining, type TrainOutcome } from "./training-waiters.js";

const DELETE_IF_EQUAL = `
if redis.call("GET", KEYS[1]) == ARGV[1] then
  return redis.call("DEL", KEYS[1])
end
return 0`;

/**
 * Ends a training job for everyone waiting on it: records the outcome, lets later mentions
 * start a new job, and resumes every parked run that waited (they read the outcome). Runs in
 * the training worker, inside the job, so a crash before it retries the job rather than
 * stranding the waiters.
 */
export async function finishTraining(params: {
  redis: Redis;
  keyPrefix: string;
  /** Resumes one parked run (the run room's `resumeRun`, bound by the entry point); false when none was parked. */
  resumeRun: (runId: string) => Promise<boolean>;
  subject: AdapterSubject;
  trainJobId: string;
  outcome: TrainOutcome;
  log: Logger;
}): Promise<number> {
  const runIds = await settleTraining(params);
  await params.redis.eval(DELETE_IF_EQUAL, 1, registryKeys(params).inFlight, params.trainJobId);
  await releaseHistory({ ...params, runId: params.trainJobId });
  let resumed = 0;
  for (const runId of runIds) {
    if (await params.resumeRun(runId)) resumed++;
  }
  params.log.info(
    {
      trainJobId: params.trainJobId,
      outcome: params.outcome.kind,
      waiting: runIds.length,
      resumed,
    },
    "training settled",
  );
  return resumed;
}
