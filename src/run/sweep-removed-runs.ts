import { Job, type Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { GitHubClient } from "../github/github-client.js";
import { endRemovedRun } from "./end-removed-run.js";
import { isRunParked } from "./park-run.js";
import { createRunTickets } from "./run-tickets.js";

/** What `endRemovedRun` logs as the job's state: the sweep cannot know it. */
const FOUND_BY_SWEEP = "unknown (found by the sweep: a bulk removal, or one while no worker ran)";

/**
 * Ends the runs whose persona job is gone without BullMQ saying so: bulk removals
 * (`queue.drain`, `queue.clean`) send no per-job `removed` event, and one made while no persona
 * worker ran is never read (QueueEvents reads only new events). A ticket whose job no longer
 * exists in any state is such a run, unless it is parked (its finished job may be cleaned away
 * long before the event that resumes it) or younger than `guardAgeMs` (`queuePersonaRun` saves
 * the ticket before it adds the job). A job this worker is running is aborted instead, as for a
 * `removed` event. Taking the ticket is atomic, so of several sweeping workers one ends the run.
 *
 * @param abort Aborts a run this worker is running (its processor then ends it); false if it is
 * not running here.
 * @returns The run ids this sweep ended.
 */
export async function sweepRemovedRuns(params: {
  worker: Worker;
  redis: Redis;
  keyPrefix: string;
  guardAgeMs: number;
  abort: (runId: string) => boolean;
  auth: (installationId: number) => Promise<GitHubClient>;
  log: Logger;
}): Promise<string[]> {
  const { redis, keyPrefix, log } = params;
  const tickets = createRunTickets({ redis, keyPrefix });
  const ended: string[] = [];
  for (const runId of await tickets.list()) {
    try {
      if (await Job.fromId(params.worker, runId)) continue;
      if (await isRunParked({ redis, keyPrefix, runId })) continue;
      if (params.abort(runId)) continue;
      const job = await tickets.takeIfOlderThan(runId, params.guardAgeMs);
      if (!job) continue;
      await endRemovedRun({
        octokit: await params.auth(job.installationId),
        redis,
        keyPrefix,
        runId,
        job,
        removedWhile: FOUND_BY_SWEEP,
        log,
      });
      ended.push(runId);
    } catch (error) {
      // One run that cannot be checked or ended must not keep the sweep from the others.
      log.error({ runId, err: error }, "could not end a removed run");
    }
  }
  return ended;
}
