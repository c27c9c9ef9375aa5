import type { Queue } from "bullmq";
import { UnrecoverableError } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { CommandJob } from "../../jobs/command-job.js";
import { type PersonaJob, personaJobId, personaJobSchema } from "../../jobs/persona-job.js";
import type { GitHubClient } from "../github/github-client.js";
import { statusOf } from "../github/github-client.js";
import {
  personaRefusal,
  RepoConfigFileError,
  readRepoConfigFile,
} from "../github/read-repo-config-file.js";
import { createStatusComment } from "../github/status-comment.js";
import { RUN_STAGES, renderStatus } from "../run/render-status.js";
import { canStartRun } from "./check-permission.js";
import { handleForgetCommand } from "./forget-command.js";
import { usageText } from "./parse-command.js";
import { acknowledgeCommand, replyToCommand } from "./reply-to-command.js";

export interface CommandJobDeps {
  octokit: GitHubClient;
  redis: Redis;
  personaQueue: Queue;
  /** The training queue: `forget` hands adapter directories to the GPU hosts through it. */
  trainQueue: Queue;
  botHandle: string;
  keyPrefix: string;
  log: Logger;
}

export type CommandOutcome =
  | "replied-usage"
  | "replied-pull-requests-only"
  | "refused"
  | "denied-by-repo-config"
  | "forgot"
  | "already-running"
  | "queued";

const PROGRESS_TTL_SECONDS = 86_400;
const ACTIVE_STATES = new Set(["waiting", "active", "delayed", "prioritized", "waiting-children"]);

/**
 * The intake of a command: permission, 👀, the status comment and the persona job. Each step
 * is checkpointed, so a retry after a crash does not react or comment twice.
 */
export async function processCommandJob(params: {
  job: CommandJob;
  jobId: string;
  deps: CommandJobDeps;
}): Promise<CommandOutcome> {
  const { job, deps } = params;
  const request = job.request;
  try {
    if (request.kind === "usage") {
      await replyOnce(
        params,
        `@${job.commenterLogin} I could not read that command: ${request.problem}.\n\n${usageText(deps.botHandle)}`,
      );
      return "replied-usage";
    }
    if (request.kind === "pull-requests-only") {
      await replyOnce(
        params,
        `@${job.commenterLogin} I review pull requests only: write \`@${deps.botHandle} <login>\` in a pull request's conversation or in one of its review threads.`,
      );
      return "replied-pull-requests-only";
    }
    if (request.kind === "forget") {
      return await handleForgetCommand({
        job,
        reviewerLogin: request.reviewerLogin,
        deps,
        reply: (markdown) => replyOnce(params, markdown),
      });
    }
    if (
      !(await canStartRun({
        octokit: deps.octokit,
        owner: job.owner,
        repo: job.repo,
        login: job.commenterLogin,
      }))
    ) {
      await replyOnce(
        params,
        `@${job.commenterLogin} sorry, only people with write, maintain or admin permission on ${job.owner}/${job.repo} can start a review in someone's style (it uses GPU time and the repository's review history). Ask a maintainer to run it for you.`,
      );
      return "refused";
    }
    const refusal = await repoConfigRefusal(deps, job, request.reviewerLogin);
    if (refusal) {
      await replyOnce(params, `@${job.commenterLogin} sorry, ${refusal}.`);
      return "denied-by-repo-config";
    }
    return await startRun({
      ...params,
      reviewerLogin: request.reviewerLogin,
      forceReload: request.forceReload,
    });
  } catch (error) {
    const status = statusOf(error);
    // 4xx other than rate limits will not fix themselves on retry.
    if (status !== undefined && status >= 400 && status < 500 && status !== 403 && status !== 429) {
      throw new UnrecoverableError(
        `GitHub refused a request while handling the command (HTTP ${status}): ${(error as Error).message}`,
      );
    }
    throw error;
  }
}

async function startRun(params: {
  job: CommandJob;
  jobId: string;
  deps: CommandJobDeps;
  reviewerLogin: string;
  forceReload: boolean;
}): Promise<CommandOutcome> {
  const { job, deps } = params;
  const progressKey = `${deps.keyPrefix}:intake:${params.jobId}`;
  const pullNumber =
    job.source.kind === "issue_comment"
      ? job.source.issueNumber
      : (job.source as { pullNumber: number }).pullNumber;

  if (!(await deps.redis.hget(progressKey, "acknowledged"))) {
    await acknowledgeCommand({ octokit: deps.octokit, job });
    await checkpoint(deps.redis, progressKey, "acknowledged", "1");
  }

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
  await deps.personaQueue.add("persona-run", personaJob, {
    jobId: runId,
    attempts: 3,
    backoff: { type: "exponential", delay: 30_000 },
    removeOnComplete: { age: 3_600 },
    removeOnFail: { age: 7 * 86_400 },
  });
  deps.log.info({ runId, statusCommentId }, "persona run queued");
  return "queued";
}

/** Why the repository's `.github/tech-lead-bot.yml` refuses the run (a broken file refuses too). */
async function repoConfigRefusal(
  deps: CommandJobDeps,
  job: CommandJob,
  reviewerLogin: string,
): Promise<string | undefined> {
  try {
    const config = await readRepoConfigFile({
      octokit: deps.octokit,
      owner: job.owner,
      repo: job.repo,
    });
    return personaRefusal(config, reviewerLogin);
  } catch (error) {
    if (error instanceof RepoConfigFileError) return `${error.message}; fix it and ask again`;
    throw error;
  }
}

async function replyOnce(
  params: { job: CommandJob; jobId: string; deps: CommandJobDeps },
  markdown: string,
): Promise<void> {
  const key = `${params.deps.keyPrefix}:intake:${params.jobId}`;
  if (await params.deps.redis.hget(key, "replied")) return;
  await replyToCommand({ octokit: params.deps.octokit, job: params.job, markdown });
  await checkpoint(params.deps.redis, key, "replied", "1");
}

async function checkpoint(redis: Redis, key: string, field: string, value: string): Promise<void> {
  await redis.multi().hset(key, field, value).expire(key, PROGRESS_TTL_SECONDS).exec();
}
