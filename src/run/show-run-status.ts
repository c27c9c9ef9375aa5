import type { PersonaJob } from "../../jobs/persona-job.js";
import type { GitHubClient } from "../github/github-client.js";
import { updateStatusComment } from "../github/status-comment.js";
import { renderStatus } from "./render-status.js";

/** A run, with the client that may edit its status comment. */
export interface RunStatusTarget {
  octokit: GitHubClient;
  runId: string;
  job: PersonaJob;
}

/** Where a run's status comment is. */
export function statusCommentRef(job: PersonaJob) {
  return { owner: job.owner, repo: job.repo, commentId: job.statusCommentId };
}

/** What every status of a run shows besides its headline: who asked, whose voice, which commit. */
export function statusViewOf(job: PersonaJob) {
  return {
    requesterLogin: job.requesterLogin,
    reviewerLogin: job.reviewerLogin,
    headSha: job.headSha,
  };
}

/** Writes one status into the run's status comment, outside a running run's status reporter. */
export async function showRunStatus(
  params: RunStatusTarget & { headline: string; details?: string[] },
): Promise<void> {
  await updateStatusComment({
    octokit: params.octokit,
    ref: statusCommentRef(params.job),
    runId: params.runId,
    markdown: renderStatus({
      ...statusViewOf(params.job),
      headline: params.headline,
      ...(params.details ? { details: params.details } : {}),
    }),
  });
}
