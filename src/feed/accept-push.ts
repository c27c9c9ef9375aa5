import type { Queue } from "bullmq";
import type { Logger } from "pino";
import { pushSummaryJobId } from "../../jobs/push-summary-job.js";
import { PUSH_JOB_OPTIONS } from "../../jobs/queue-names.js";
import { claimOnce } from "../store/claim-once.js";
import { RedisKeys } from "../store/redis-keys.js";
import type { RedisScope } from "../store/redis-scope.js";
import { readPushEvent } from "./read-push-event.js";

export type AcceptPushOutcome = "queued" | "duplicate" | "skipped";

/**
 * What the `push` webhook handler does, and all it does: drop deletions and tags, drop a
 * redelivery, and queue the summary job. The job id is derived from the push itself, so a second
 * delivery of the same push (or of a retried one) cannot queue a second job either.
 */
export async function acceptPush(params: {
  deliveryId: string;
  payload: unknown;
  deps: RedisScope & { pushQueue: Queue; dedupeTtlSeconds: number; log: Logger };
}): Promise<AcceptPushOutcome> {
  const { deps } = params;
  const reading = readPushEvent(params.payload);
  if (reading.kind === "skip") {
    deps.log.debug({ reason: reading.reason }, "push not summarised");
    return "skipped";
  }
  const firstDelivery = await claimOnce({
    redis: deps.redis,
    key: new RedisKeys(deps.keyPrefix).seenDelivery(params.deliveryId),
    ttlSeconds: deps.dedupeTtlSeconds,
  });
  if (!firstDelivery) {
    deps.log.info({ deliveryId: params.deliveryId }, "duplicate push delivery ignored");
    return "duplicate";
  }
  const jobId = pushSummaryJobId(reading.job);
  await deps.pushQueue.add("summarise-push", reading.job, { jobId, ...PUSH_JOB_OPTIONS });
  deps.log.info({ jobId }, "push queued for the feed");
  return "queued";
}
