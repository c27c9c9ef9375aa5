import { UnrecoverableError } from "bullmq";
import type { CommandJob } from "../../jobs/command-job.js";
import { statusOf } from "../github/github-client.js";
import { RepoConfigFileError, readRepoConfigFile } from "../github/read-repo-config-file.js";
import { joinInertSegments, renderInertMarkdown } from "../github/render-inert-markdown.js";
import {
  parseRepoAccessConfig,
  parseRepoReviewConfig,
  personaRefusal,
} from "../github/repo-config-schema.js";
import { canStartRun } from "./check-permission.js";
import type { CommandJobDeps, CommandOutcome } from "./command-job-deps.js";
import { handleForgetCommand } from "./forget-command.js";
import { replyOnce } from "./intake-progress.js";
import { usageText } from "./parse-command.js";
import { startPersonaRun } from "./start-persona-run.js";

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
    // Anyone can write a malformed command; answering everyone would let them make the bot post.
    if (
      (request.kind === "usage" || request.kind === "pull-requests-only") &&
      !(await canStartRun({
        octokit: deps.octokit,
        owner: job.owner,
        repo: job.repo,
        login: job.commenterLogin,
      }))
    ) {
      deps.log.info(
        { commentId: job.commentId, request: request.kind },
        "no reply: the commenter has no write access",
      );
      return "ignored-without-write-access";
    }
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
      // The file's own keys and the loader's error text end up in it: render them inert.
      const inert = joinInertSegments(renderInertMarkdown(refusal), 1_500);
      await replyOnce(params, `@${job.commenterLogin} sorry, ${inert}.`);
      return "denied-by-repo-config";
    }
    return await startPersonaRun({
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

/** Why the repository's `.github/tech-lead-bot.yml` refuses the run (a broken file refuses too). */
async function repoConfigRefusal(
  deps: CommandJobDeps,
  job: CommandJob,
  reviewerLogin: string,
): Promise<string | undefined> {
  try {
    const content = await readRepoConfigFile({
      octokit: deps.octokit,
      owner: job.owner,
      repo: job.repo,
    });
    const refusal = personaRefusal(parseRepoAccessConfig(content), reviewerLogin);
    if (refusal) return refusal;
    // The review stage reads its own section much later: a broken one must not cost a history.
    parseRepoReviewConfig(content);
    return undefined;
  } catch (error) {
    if (error instanceof RepoConfigFileError) return `${error.message}; fix it and ask again`;
    throw error;
  }
}
