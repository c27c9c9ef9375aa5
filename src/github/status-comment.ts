import { randomUUID } from "node:crypto";
import { createOnce, NO_BLIND_RETRY } from "./create-once.js";
import { findBotItemByMarker } from "./find-bot-item-by-marker.js";
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

/**
 * Posts the run's one status comment on the pull request, exactly once: a 5xx after GitHub saved
 * it is resolved by finding the comment by a marker unique to this call, not by posting again.
 */
export async function createStatusComment(params: {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  issueNumber: number;
  runId: string;
  markdown: string;
  pause?: (ms: number) => Promise<void>;
}): Promise<{ commentId: number; htmlUrl: string }> {
  const target = { owner: params.owner, repo: params.repo, issue_number: params.issueNumber };
  // The run marker alone is not unique: earlier runs on the same head carry it too.
  const postMarker = `<!-- tech-lead-bot:post=${randomUUID()} -->`;
  const startedAt = new Date(Date.now() - 60_000).toISOString();
  const created = await createOnce({
    create: async () => {
      const { data } = await params.octokit.request(
        "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
        {
          ...target,
          body: `${statusMarker(params.runId)}\n${postMarker}\n${params.markdown}`,
          request: NO_BLIND_RETRY,
        },
      );
      return { id: Number(data.id), html_url: data.html_url };
    },
    findExisting: () =>
      findBotItemByMarker({
        octokit: params.octokit as Parameters<typeof findBotItemByMarker>[0]["octokit"],
        route: "GET /repos/{owner}/{repo}/issues/{issue_number}/comments",
        params: { ...target, since: startedAt },
        marker: postMarker,
      }),
    ...(params.pause ? { pause: params.pause } : {}),
  });
  return { commentId: Number(created.id), htmlUrl: created.html_url };
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
