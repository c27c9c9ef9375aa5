import { z } from "zod";
import type { FateStore } from "../fates/fate-store.js";
import { type GitHubClient, statusOf } from "../github/github-client.js";
import {
  COMMENT_FEEDBACK_QUERY,
  readPullState,
  readThreadFeedback,
} from "./comment-feedback-query.js";
import { type ComparedFile, didLineChange } from "./find-changed-line.js";

const compareSchema = z.object({
  files: z
    .array(
      z.object({
        filename: z.string(),
        status: z.string(),
        previous_filename: z.string().optional(),
        patch: z.string().optional(),
      }),
    )
    .default([]),
});

/** What one refresh learnt and cost. */
export interface PullFeedbackRefresh {
  /** OPEN, CLOSED or MERGED, as GitHub answered (undefined when nothing was read). */
  pullState?: string;
  comments: number;
  newlyAddressed: number;
  graphqlRequests: number;
  compareRequests: number;
}

/**
 * On `pull_request.synchronize` / `closed`: reads, for our comments on the PR, the thread state
 * and reactions (ONE GraphQL request) and whether a push changed each commented line (one
 * compare per distinct commit our comments sit on, usually one). "Addressed" uses both signals:
 * the compare decides; GitHub's `isOutdated` decides only where the compare cannot (the comment's
 * commit is gone after a force-push, a binary or huge file, a LEFT-side comment), because a
 * rebase alone makes a thread outdated without anyone touching its line. On `closed`, records
 * how the PR ended, which turns untouched comments into "ignored" when it merged.
 * Costs no request at all on a PR without our comments.
 */
export async function refreshPullFeedback(params: {
  octokit: GitHubClient;
  store: FateStore;
  owner: string;
  repo: string;
  pullNumber: number;
  headSha: string;
  ended?: "merged" | "closed";
}): Promise<PullFeedbackRefresh> {
  const { octokit, store, owner, repo, pullNumber } = params;
  const ids = await store.commentIdsOfPull({ owner, repo, pullNumber });
  const result: PullFeedbackRefresh = {
    comments: ids.length,
    newlyAddressed: 0,
    graphqlRequests: 0,
    compareRequests: 0,
  };
  if (ids.length === 0) return result;

  result.graphqlRequests++;
  const answer = await octokit.graphql(COMMENT_FEEDBACK_QUERY, { owner, repo, number: pullNumber });
  const threads = readThreadFeedback(answer);
  const pull = readPullState(answer);
  if (pull.state) result.pullState = pull.state;
  // A scheduled read knows the head only from GitHub's answer.
  const headSha = pull.headSha ?? params.headSha;
  const fates = (await Promise.all(ids.map((id) => store.read(id)))).filter(
    (fate) => fate !== undefined,
  );
  for (const fate of fates) {
    const thread = threads.get(fate.comment.commentId);
    if (!thread) continue;
    await store.setThreadState(fate.comment.commentId, {
      resolved: thread.resolved,
      outdated: thread.outdated,
    });
    await store.setReactions(fate.comment.commentId, thread.reactions);
  }

  const open = fates.filter((fate) => !fate.addressed && fate.comment.commitId !== headSha);
  const commits = [...new Set(open.map((fate) => fate.comment.commitId))];
  const filesByCommit = new Map<string, ComparedFile[] | undefined>();
  for (const commit of commits) {
    result.compareRequests++;
    filesByCommit.set(commit, await compareFiles({ ...params, headSha, base: commit }));
  }
  for (const fate of open) {
    const { comment } = fate;
    const files = filesByCommit.get(comment.commitId);
    const changed =
      files && comment.side === "RIGHT"
        ? didLineChange({ files, path: comment.path, line: comment.line })
        : undefined;
    const outdated = threads.get(comment.commentId)?.outdated ?? fate.outdated;
    const how =
      changed === true
        ? "line changed"
        : changed === undefined && outdated
          ? "outdated (the compare could not tell)"
          : undefined;
    if (how) {
      await store.markAddressed(comment.commentId, how);
      result.newlyAddressed++;
    }
  }
  if (params.ended) {
    for (const id of ids) await store.setPullState(id, params.ended);
  }
  return result;
}

/** Files changed from `base` to the head, or undefined when GitHub no longer has `base`. */
async function compareFiles(params: {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  base: string;
  headSha: string;
}): Promise<ComparedFile[] | undefined> {
  try {
    const response = await params.octokit.request("GET /repos/{owner}/{repo}/compare/{basehead}", {
      owner: params.owner,
      repo: params.repo,
      basehead: `${params.base}...${params.headSha}`,
    });
    return compareSchema.parse(response.data).files;
  } catch (error) {
    // A force-push can leave the comment's commit unreachable: fall back to `isOutdated`.
    if (statusOf(error) === 404 || statusOf(error) === 422) return undefined;
    throw error;
  }
}
