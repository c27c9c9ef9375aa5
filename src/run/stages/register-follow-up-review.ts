import type { Queue } from "bullmq";
import { type PersonaJob, personaJobId } from "../../../jobs/persona-job.js";
import { trainPickupCheckId } from "../../../jobs/train-job.js";
import type { RedisScope } from "../../store/redis-scope.js";
import { addWaiter, clearWait, getOutcome, type TrainWait } from "../../train/training-waiters.js";
import { parkRun, unparkRun } from "../park-run.js";

/** Whether the follow-up waits, or the training job had already ended when it registered. */
export type FollowUpRegistration =
  | { kind: "waiting"; runId: string }
  | { kind: "already-settled"; runId: string };

/**
 * REVIEW_WHILE_TRAINING: the run that queued (or joined) training reviews few-shot at once, and
 * this registers its follow-up — the same persona job with `afterTraining`, under its own run
 * id — as a parked waiter of the training job, exactly as a run that waits itself would be. The
 * training worker's `finishTraining` resumes it; a pickup check resumes it if no training host
 * starts the job in time. Registering twice (a retried run) overwrites the same records.
 *
 * @returns `already-settled` when the job ended before the follow-up was registered and this
 * call took it back: nothing will resume it, so the calling run should use the outcome itself.
 */
export async function registerFollowUpReview(
  params: RedisScope & {
    pickupQueue: Queue;
    pickupTimeoutSeconds: number;
    job: PersonaJob;
    wait: TrainWait;
  },
): Promise<FollowUpRegistration> {
  const { redis, keyPrefix, wait } = params;
  const job: PersonaJob = { ...params.job, afterTraining: true };
  const runId = personaJobId(job);
  await addWaiter({ redis, keyPrefix, runId, job, wait });
  await parkRun({ redis, keyPrefix, runId, job });
  const check = { runId, trainJobId: wait.trainJobId };
  await params.pickupQueue.add("pickup-check", check, {
    jobId: trainPickupCheckId(check),
    delay: params.pickupTimeoutSeconds * 1_000,
    removeOnComplete: true,
    removeOnFail: { age: 86_400 },
  });
  // The job may have ended while we registered, and its worker may not have seen the follow-up.
  // Whoever takes it off the parked list owns it: the training worker (which resumes it) or us.
  if (await getOutcome({ redis, keyPrefix, trainJobId: wait.trainJobId })) {
    if (await unparkRun({ redis, keyPrefix, runId })) {
      await clearWait({ redis, keyPrefix, runId, trainJobId: wait.trainJobId });
      return { kind: "already-settled", runId };
    }
  }
  return { kind: "waiting", runId };
}
