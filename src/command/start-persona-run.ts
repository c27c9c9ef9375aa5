import type { CommandJob } from "../../jobs/command-job.js";
import { type PersonaJob, personaJobId, personaJobSchema } from "../../jobs/persona-job.js";
import { createStatusComment } from "../github/status-comment.js";
import { queuePersonaRun } from "../run/queue-persona-run.js";
import { RUN_STAGES, renderStatus } from "../run/render-status.js";
import { RedisKeys } from "../store/redis-keys.js";
import type { CommandJobDeps, CommandOutcome } from "./command-job-deps.js";
import { checkpoint, replyOnce } from "./intake-progress.js";
import { acknowledgeCommand } from "./reply-to-command.js";

const ACTIVE_STATES = new Set(["waiting", "active", "delayed", "prioritized", "waiting-children"]);

/**
 * Acknowledges an allowed review command and queues its persona run: the head commit, one
 * status comment, the job, then 👀. A run for the same work already under way gets a link instead.
 */
export async function startPersonaRun(params: {
  job: CommandJob;
  jobId: string;
  deps: CommandJobDeps;
  reviewerLogin: string;
  forceReload: boolean;
}): Promise<CommandOutcome> {
  const { job, deps } = params;
  const progressKey = new RedisKeys(deps.keyPrefix).intake(params.jobId);
  const pullNumber =
    job.source.kind === "issue_comment"
      ? job.source.issueNumber
      : (job.source as { pullNumber: number }).pullNumber;

  // 👀 goes out after the run is queued: GitHub spaces our writes a second apart, and the
  // status comment (which the run needs) should not wait behind the reaction.
  const acknowledge = async () => {
    if (await deps.redis.hget(progressKey, "acknowledged")) return;
    await acknowledgeCommand({ octokit: deps.octokit, job });
    await checkpoint(deps.redis, progressKey, "acknowledged", "1");
  };

  const { data: pull } = await deps.octokit.request(
    "GET /repos/{owner}/{repo}/pulls/{pull_number}",
    {
      owner: job.owner,
      repo: job.repo,
      pull_number: pullNumber,
    },
  );
  const runShape = {
    owner: job.owner,
    repo: job.repo,
    pullNumber,
    headSha: pull.head.sha,
    reviewerLogin: params.reviewerLogin,
    forceReload: params.forceReload,
  };
  const runId = personaJobId(runShape);

  const existing = await deps.personaQueue.getJob(runId);
  if (existing && ACTIVE_STATES.has(await existing.getState())) {
    await acknowledge();
    const existingData = personaJobSchema.parse(existing.data);
    await replyOnce(
      params,
      `@${job.commenterLogin} a review in the style of \`${params.reviewerLogin}\` for ${pull.head.sha.slice(0, 7)} is already under way: ${pull.html_url}#issuecomment-${existingData.statusCommentId}`,
    );
    return "already-running";
  }

  let statusCommentId = Number(await deps.redis.hget(progressKey, "statusCommentId")) || undefined;
  if (!statusCommentId) {
    const created = await createStatusComment({
      octokit: deps.octokit,
      owner: job.owner,
      repo: job.repo,
      issueNumber: pullNumber,
      runId,
      markdown: renderStatus({
        requesterLogin: job.commenterLogin,
        reviewerLogin: params.reviewerLogin,
        headSha: pull.head.sha,
        headline: "👀 Queued. A worker will pick this up shortly.",
        details: [`Next: ${RUN_STAGES.join(", then ")}.`],
      }),
    });
    statusCommentId = created.commentId;
    await checkpoint(deps.redis, progressKey, "statusCommentId", String(statusCommentId));
  }

  const personaJob: PersonaJob = personaJobSchema.parse({
    installationId: job.installationId,
    ...runShape,
    requesterLogin: job.commenterLogin,
    requesterId: job.commenterId,
    statusCommentId,
  });
  // A finished run with the same id would make BullMQ drop the new job as a duplicate.
  if (existing) await existing.remove();
  await queuePersonaRun({
    personaQueue: deps.personaQueue,
    redis: deps.redis,
    keyPrefix: deps.keyPrefix,
    runId,
    job: personaJob,
  });
  deps.log.info({ runId, statusCommentId }, "persona run queued");
  await acknowledge();
  return "queued";
}
