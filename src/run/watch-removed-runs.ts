import { Job, QueueEvents, type Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { GitHubClient } from "../github/github-client.js";
import { logQueueErrors } from "../store/log-queue-errors.js";
import { endRemovedRun } from "./end-removed-run.js";
import { createRunTickets } from "./run-tickets.js";
import { sweepRemovedRuns } from "./sweep-removed-runs.js";

/** The reason a removed run's processor is aborted with (see `isRunRemoval`). */
export const RUN_REMOVED = "run removed from the queue";

/** States whose removal ends nothing: a finished run's job cleared to queue the same run again. */
const FINISHED_STATES = new Set(["completed", "failed"]);

/**
 * Ends runs whose persona job an operator removed before it finished. A queued job's removal
 * (the queue board's Remove, `queue.remove`) arrives as BullMQ's `removed` event; a running job
 * can only be removed with `obliterate({ force })`, which sends no event, so the worker running
 * it notices when its lock can no longer be renewed and the job is gone. A run this worker is
 * running is aborted (its processor ends it); any other is ended here, by whichever worker takes
 * its ticket first. Removals no event reports (bulk ones, or made while no worker ran) are found
 * by a sweep of the tickets when the worker starts and every `sweep.everyMs` after. Closes with
 * the worker.
 */
export function watchRemovedRuns(params: {
  worker: Worker;
  queueName: string;
  prefix: string;
  /** A connection of its own: QueueEvents blocks on it. */
  connection: Redis;
  redis: Redis;
  auth: (installationId: number) => Promise<GitHubClient>;
  log: Logger;
  /** How often to sweep, and how old a ticket must be before its missing job counts as removed. */
  sweep: { everyMs: number; guardAgeMs: number };
}): void {
  const { worker, log } = params;
  const tickets = createRunTickets({ redis: params.redis, keyPrefix: params.prefix });
  const events = new QueueEvents(params.queueName, {
    connection: params.connection,
    prefix: params.prefix,
  });
  logQueueErrors(log, [events]);
  const endRun = async (runId: string, removedWhile: string) => {
    const job = await tickets.take(runId);
    if (!job) return;
    await endRemovedRun({
      octokit: await params.auth(job.installationId),
      redis: params.redis,
      keyPrefix: params.prefix,
      runId,
      job,
      removedWhile,
      log,
    });
  };
  events.on("removed", ({ jobId, prev }) => {
    if (FINISHED_STATES.has(prev)) return;
    if (worker.cancelJob(jobId, RUN_REMOVED)) return;
    void endRun(jobId, prev).catch((error: unknown) =>
      log.error({ runId: jobId, err: error }, "could not end a removed run"),
    );
  });
  worker.on("lockRenewalFailed", (jobIds) => {
    for (const jobId of jobIds) {
      // A lock lost while the job still exists is a stall (another worker resumes the run).
      void Job.fromId(worker, jobId)
        .then((job) => {
          if (!job) worker.cancelJob(jobId, RUN_REMOVED);
        })
        .catch((error: unknown) =>
          log.warn({ runId: jobId, err: error }, "could not check a run whose lock was lost"),
        );
    }
  });
  let sweeping = false;
  const sweep = async () => {
    if (sweeping) return;
    sweeping = true;
    try {
      await sweepRemovedRuns({
        worker,
        redis: params.redis,
        keyPrefix: params.prefix,
        guardAgeMs: params.sweep.guardAgeMs,
        abort: (runId) => worker.cancelJob(runId, RUN_REMOVED),
        auth: params.auth,
        log,
      });
    } catch (error) {
      log.warn({ err: error }, "could not sweep for removed runs");
    } finally {
      sweeping = false;
    }
  };
  const timer = setInterval(() => void sweep(), params.sweep.everyMs);
  timer.unref();
  void worker.waitUntilReady().then(sweep, () => undefined);
  worker.on("closed", () => {
    clearInterval(timer);
    void events.close().catch(() => undefined);
  });
}
