import type { GitHubClient } from "../github/github-client.js";
import { type StatusCommentRef, updateStatusComment } from "../github/status-comment.js";
import { renderStatus, type StatusView } from "./render-status.js";

export interface StatusReporter {
  /** Shows a new state now (stage changes, results, failures). */
  show(headline: string, details?: string[]): Promise<void>;
  /** Shows progress, at most once per interval: GitHub counts every edit against our limits. */
  progress(headline: string, details?: string[]): Promise<void>;
}

/** Edits a run's single status comment in place. */
export function createStatusReporter(params: {
  octokit: GitHubClient;
  ref: StatusCommentRef;
  runId: string;
  view: Pick<StatusView, "requesterLogin" | "reviewerLogin" | "headSha">;
  minIntervalMs?: number;
  now?: () => number;
}): StatusReporter {
  const now = params.now ?? Date.now;
  const minIntervalMs = params.minIntervalMs ?? 5_000;
  let lastWriteAt = Number.NEGATIVE_INFINITY;
  const write = async (headline: string, details?: string[]) => {
    lastWriteAt = now();
    const markdown = renderStatus({ ...params.view, headline, ...(details ? { details } : {}) });
    await updateStatusComment({
      octokit: params.octokit,
      ref: params.ref,
      runId: params.runId,
      markdown,
    });
  };
  return {
    show: write,
    async progress(headline, details) {
      if (now() - lastWriteAt < minIntervalMs) return;
      await write(headline, details);
    },
  };
}
