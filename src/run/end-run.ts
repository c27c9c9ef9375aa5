import type { Logger } from "pino";
import { releaseHistory } from "../history/release-history.js";
import type { RedisScope } from "../store/redis-scope.js";
import { reportRunFailure } from "./report-run-failure.js";
import { type RunStatusTarget, showRunStatus } from "./show-run-status.js";

/** BullMQ's reason for a job it failed itself after too many stalls (crashed or killed workers). */
const STALLED_OUT = "job stalled more than allowable limit";

/** A run to end: its status comment, where its records are, and the worker's log. */
export type EndRunParams = RunStatusTarget & RedisScope & { log: Logger };

/**
 * Ends a run that failed for good, however it failed (its own error, or BullMQ failing it after
 * its workers died twice without our code running): the status comment says so and what to do,
 * the scraped history is released, and one log line records it. Never throws.
 */
export async function endFailedRun(params: EndRunParams & { error: unknown }): Promise<void> {
  const { log, runId, job } = params;
  const error =
    params.error instanceof Error && params.error.message === STALLED_OUT
      ? new Error(
          "the worker running it stopped twice before it could finish (crashed, killed or out of memory); see the worker's logs",
          { cause: params.error },
        )
      : params.error;
  log.error({ runId, err: error }, "run failed for good");
  await reportRunFailure({ octokit: params.octokit, runId, job, error, willRetry: false }).catch(
    (reportError: unknown) =>
      log.error({ runId, err: reportError }, "could not report the failure in the status comment"),
  );
  await releaseRunHistory(params);
}

/** Gives the run's hold on the reviewer's scraped history back (the last holder deletes it). */
export async function releaseRunHistory(params: Omit<EndRunParams, "octokit">): Promise<void> {
  await releaseHistory({
    redis: params.redis,
    keyPrefix: params.keyPrefix,
    subject: {
      owner: params.job.owner,
      repo: params.job.repo,
      reviewerLogin: params.job.reviewerLogin,
    },
    runId: params.runId,
  }).catch((error: unknown) =>
    params.log.error({ runId: params.runId, err: error }, "could not release the run's history"),
  );
}

/** Tells the PR that the worker running its run stopped and the run resumes. Never throws. */
export async function reportRunResuming(params: Omit<EndRunParams, "redis" | "keyPrefix">) {
  params.log.warn({ runId: params.runId }, "run interrupted by a stopped worker; resuming");
  await showRunStatus({
    octokit: params.octokit,
    runId: params.runId,
    job: params.job,
    headline:
      "🔁 The worker running this stopped (restart or crash); the run resumes from its last checkpoint shortly.",
  }).catch((error: unknown) =>
    params.log.error({ runId: params.runId, err: error }, "could not report the resume"),
  );
}
