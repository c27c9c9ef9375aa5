import type { GitHubClient } from "../github/github-client.js";
import { type StatusCommentRef, updateStatusComment } from "../github/status-comment.js";
import { renderStatus, type StatusView } from "./render-status.js";

export interface StatusReporter {
  /** Shows a new state (stage changes, results, failures); see `settleMs` for when it is written. */
  show(headline: string, details?: string[]): Promise<void>;
  /** Shows progress, at most once per interval: GitHub counts every edit against our limits. */
  progress(headline: string, details?: string[]): Promise<void>;
  /** Writes the state not yet written, if any, and waits until GitHub has it. */
  flush(): Promise<void>;
}

/**
 * Edits a run's single status comment in place.
 *
 * With `settleMs`, `show` does not wait for GitHub: the newest state is written once it has
 * waited `settleMs`, and states shown meanwhile replace it unwritten. Every write spaces the
 * next GitHub write by a second (Octokit's write throttling, as GitHub asks), so in a run that
 * takes less than `settleMs` no status edit stands between the mention and the review; a longer
 * run still shows where it is. `flush` writes what is pending (the run's end, before a failure
 * report, so an older state never lands after it).
 */
export function createStatusReporter(params: {
  octokit: GitHubClient;
  ref: StatusCommentRef;
  runId: string;
  view: Pick<StatusView, "requesterLogin" | "reviewerLogin" | "headSha">;
  minIntervalMs?: number;
  settleMs?: number;
  onWriteError?: (error: unknown) => void;
  now?: () => number;
}): StatusReporter {
  const now = params.now ?? Date.now;
  const minIntervalMs = params.minIntervalMs ?? 5_000;
  let lastShownAt = Number.NEGATIVE_INFINITY;
  let pending: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  const send = (markdown: string) =>
    updateStatusComment({
      octokit: params.octokit,
      ref: params.ref,
      runId: params.runId,
      markdown,
    });
  const writePending = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const markdown = pending;
    pending = undefined;
    if (markdown === undefined) return writing;
    writing = writing.then(() => send(markdown));
    return writing;
  };
  const show = async (headline: string, details?: string[]) => {
    lastShownAt = now();
    const markdown = renderStatus({ ...params.view, headline, ...(details ? { details } : {}) });
    if (!params.settleMs) return await send(markdown);
    pending = markdown;
    timer ??= setTimeout(() => {
      writePending().catch((error: unknown) => params.onWriteError?.(error));
    }, params.settleMs);
  };
  return {
    show,
    async progress(headline, details) {
      if (now() - lastShownAt < minIntervalMs) return;
      await show(headline, details);
    },
    flush: async () => {
      // A failed earlier write was reported by onWriteError; the newest state is what matters.
      await writing.catch(() => undefined);
      await writePending();
    },
  };
}
