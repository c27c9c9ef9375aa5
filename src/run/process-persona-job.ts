import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { PersonaJob } from "../../jobs/persona-job.js";
import type { GitHubClient } from "../github/github-client.js";
import type { HistoryResult } from "../history/collect-history.js";
import type { ReviewModel } from "../review/review-model.js";
import { createRunStatusRecorder } from "./record-run-status.js";
import { RUN_STAGES } from "./render-status.js";
import { createStatusReporter, type StatusReporter } from "./status-reporter.js";

type RunStatusRecorder = ReturnType<typeof createRunStatusRecorder>;

/** What every stage of a run receives. Clients are passed in; stages never import Probot. */
export interface RunContext {
  runId: string;
  job: PersonaJob;
  /** The installation's client: posts the status and the review. */
  octokit: GitHubClient;
  redis: Redis;
  status: StatusReporter;
  log: Logger;
  /** What stages hand on in memory only: never written to Redis or job data. */
  session: RunSession;
}

/** What stages hand on to later stages, in memory only: never written to Redis or job data. */
export interface RunSession {
  /** The requester's GitHub token (authorise stage). */
  requesterToken?: string;
  /** The reviewer's collected history (collect-history stage). */
  history?: HistoryResult;
  /** Which model reviews: the reviewer's adapter, or few-shot with why (train-or-reuse stage). */
  model?: Extract<ReviewModel, { kind: "adapter" }> | { kind: "few-shot"; reason: string };
  /** A line the status keeps under the review's outcome: a second review will follow (train stage). */
  afterReviewNote?: string;
}

/**
 * A stage either finishes, parks the run until an event (OAuth callback, training done) resumes
 * it, or ends the whole run early with nothing left to do (its status says why).
 */
export type StageResult =
  | { kind: "done" }
  | { kind: "parked"; reason: string }
  | { kind: "ended"; reason: string };

export interface RunStage {
  name: string;
  run(context: RunContext): Promise<StageResult>;
  /** Clean-up once the whole run has finished (not when it parks), in reverse stage order. */
  finish?(context: RunContext): Promise<void>;
}

export type RunOutcome = "finished" | "parked";

/** How long a status edit waits for a newer one before it is written: a run that reviews within it makes no edit before the review. */
const STATUS_SETTLE_MS = 3_000;

/**
 * Runs a persona job's stages in order. Each stage checkpoints its own work in Redis, so a
 * retried or resumed job skips what is already done.
 */
export async function processPersonaJob(params: {
  runId: string;
  job: PersonaJob;
  octokit: GitHubClient;
  redis: Redis;
  stages: RunStage[];
  log: Logger;
  /** QUEUE_PREFIX: when given, the run's status is also kept for the dashboard. */
  keyPrefix?: string;
}): Promise<RunOutcome> {
  const { job } = params;
  const recorder =
    params.keyPrefix === undefined
      ? undefined
      : createRunStatusRecorder({
          redis: params.redis,
          keyPrefix: params.keyPrefix,
          runId: params.runId,
          job,
          stageCount: params.stages.length,
        });
  const commentStatus = createStatusReporter({
    octokit: params.octokit,
    ref: { owner: job.owner, repo: job.repo, commentId: job.statusCommentId },
    runId: params.runId,
    // No status edit may hold up the review: edits settle first, and only the newest is written.
    settleMs: STATUS_SETTLE_MS,
    onWriteError: (error) =>
      params.log.warn({ runId: params.runId, err: error }, "status comment edit failed"),
    view: {
      requesterLogin: job.requesterLogin,
      reviewerLogin: job.reviewerLogin,
      headSha: job.headSha,
    },
  });
  const status = recorder ? recorder.wrap(commentStatus) : commentStatus;
  const log = params.log.child({ runId: params.runId });
  const context: RunContext = { ...params, status, log, session: {} };

  try {
    return await runStages(context, params.stages, recorder);
  } finally {
    // The last state shown reaches GitHub before the job ends or its failure is reported.
    await status
      .flush()
      .catch((error: unknown) => log.warn({ err: error }, "could not write the run's last status"));
  }
}

async function runStages(
  context: RunContext,
  stages: RunStage[],
  recorder: RunStatusRecorder | undefined,
): Promise<RunOutcome> {
  const { log, status } = context;
  if (stages.length === 0) {
    await status.show("🏃 A worker picked this run up.", [
      `Next: ${RUN_STAGES.join(", then ")}.`,
      "This deployment has no stages enabled yet, so the run ends here.",
    ]);
    return "finished";
  }
  const ran: RunStage[] = [];
  for (const [index, stage] of stages.entries()) {
    log.info({ stage: stage.name }, "stage started");
    await recorder?.enterStage(index + 1, stage.name);
    ran.push(stage);
    let result: StageResult;
    try {
      result = await stage.run(context);
    } catch (error) {
      await recorder?.end("failed");
      // Lets the failure report name the stage without losing the error's class (retry policy).
      if (error instanceof Error) Object.assign(error, { stage: stage.name });
      throw error;
    }
    if (result.kind === "parked") {
      log.info({ stage: stage.name, reason: result.reason }, "run parked");
      await recorder?.end("parked");
      return "parked";
    }
    if (result.kind === "ended") {
      log.info({ stage: stage.name, reason: result.reason }, "run ended early");
      break;
    }
  }
  for (const stage of ran.reverse()) await stage.finish?.(context);
  await recorder?.end("finished");
  return "finished";
}
