import { RedisKeys } from "../store/redis-keys.js";
import { type EndRunParams, releaseRunHistory } from "./end-run.js";
import { showRunStatus } from "./show-run-status.js";

/**
 * Ends a run whose job an operator removed from the queue (the queue board, `queue.remove`,
 * `obliterate`) before it finished: BullMQ runs none of our code for that, so without this the
 * status comment would stay at "Queued" or "Reviewing…" and the scraped history held until its
 * TTL. The status goes final, the history is released, one log line records it. Never throws.
 */
export async function endRemovedRun(
  params: EndRunParams & {
    /** The job's state when it was removed (BullMQ's `prev`), for the log. */
    removedWhile: string;
  },
): Promise<void> {
  const { runId, log } = params;
  log.warn({ runId, removedWhile: params.removedWhile }, "run removed from the queue; ended");
  await showRunStatus({
    octokit: params.octokit,
    runId,
    job: params.job,
    headline: "❌ This run was removed from the queue by an operator before it finished.",
    details: [
      "No review will be posted for it.",
      `What to do: mention me again to start a new run. A maintainer can look up run \`${runId}\` in the worker logs.`,
    ],
  }).catch((error: unknown) =>
    log.error({ runId, err: error }, "could not report the removal in the status comment"),
  );
  await releaseRunHistory(params);
  await params.redis.del(new RedisKeys(params.keyPrefix).runOwner(runId)).catch(() => undefined);
}
