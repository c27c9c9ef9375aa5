import type { GitHubClient } from "./github-client.js";

const MARKER_PREFIX = "<!-- tech-lead-bot:status";

/** The hidden marker that lets any stage find the status comment of a run. */
export function statusMarker(runId: string): string {
  return `${MARKER_PREFIX} run=${runId} -->`;
}

/** Whether a comment body is a status comment (ours, for any run). */
export function isStatusComment(body: string): boolean {
  return body.startsWith(MARKER_PREFIX);
}

export interface StatusCommentRef {
  owner: string;
  repo: string;
  commentId: number;
}

/** Posts the run's one status comment on the pull request. */
export async function createStatusComment(params: {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  issueNumber: number;
  runId: string;
  markdown: string;
}): Promise<{ commentId: number; htmlUrl: string }> {
  const response = await params.octokit.request(
    "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
    {
      owner: params.owner,
      repo: params.repo,
      issue_number: params.issueNumber,
      body: `${statusMarker(params.runId)}\n${params.markdown}`,
    },
  );
  return { commentId: Number(response.data.id), htmlUrl: response.data.html_url };
}

/** Replaces the status comment's text in place, keeping its marker. */
export async function updateStatusComment(params: {
  octokit: GitHubClient;
  ref: StatusCommentRef;
  runId: string;
  markdown: string;
}): Promise<void> {
  await params.octokit.request("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", {
    owner: params.ref.owner,
    repo: params.ref.repo,
    comment_id: params.ref.commentId,
    body: `${statusMarker(params.runId)}\n${params.markdown}`,
  });
}
