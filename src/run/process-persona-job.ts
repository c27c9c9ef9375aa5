import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { PersonaJob } from "../../jobs/persona-job.js";
import type { GitHubClient } from "../github/github-client.js";
import { createRunStatusRecorder } from "./record-run-status.js";
import { RUN_STAGES } from "./render-status.js";
import { statusCommentRef, statusViewOf } from "./show-run-status.js";
import type { RunContext, RunStage, StageResult } from "./stage-contract.js";
import { createStatusReporter } from "./status-reporter.js";

type RunStatusRecorder = ReturnType<typeof createRunStatusRecorder>;

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
    ref: statusCommentRef(job),
    runId: params.runId,
    // No status edit may hold up the review: edits settle first, and only the newest is written.
    settleMs: STATUS_SETTLE_MS,
    onWriteError: (error) =>
      params.log.warn({ runId: params.runId, err: error }, "status comment edit failed"),
    view: statusViewOf(job),
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
