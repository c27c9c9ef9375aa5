import { randomUUID } from "node:crypto";
import { z } from "zod";
import { createOnce, NO_BLIND_RETRY } from "../github/create-once.js";
import { findBotItemByMarker } from "../github/find-bot-item-by-marker.js";
import { type GitHubRestClient, statusOf } from "../github/github-client.js";
import type { Side } from "./map-comment-line.js";

/** One inline comment, ready for GitHub's review API. */
export interface ReviewComment {
  path: string;
  line: number;
  side: Side;
  /** The visible comment, already sanitised. */
  text: string;
  /** Hidden marker (an HTML comment) identifying the hunk, appended after the text. */
  marker: string;
  /** Shown after the text: the precedent citation (src/feedback), already safe Markdown. */
  suffix?: string;
  /** The hunk as unified-diff text, kept with the comment's fate for retraining; not posted. */
  hunkText?: string;
}

function bodyOf(comment: ReviewComment): string {
  return `${comment.text}${comment.suffix ?? ""}\n\n${comment.marker}`;
}

/** What reached the PR. */
export interface PostedReview {
  reviewId: number;
  reviewUrl: string;
  /** Comments posted inline (in the review, or one by one after a 422). */
  inline: number;
  /** Comments GitHub would not place on their line, posted as file-level comments instead. */
  fileLevel: number;
  /** Comments GitHub refused even at file level (the file left the PR meanwhile). */
  dropped: number;
  /** True when GitHub refused the review with its comments and the fallback ran. */
  usedFallback: boolean;
  /** Write requests sent (for GitHub's secondary rate limits). */
  writes: number;
}

const reviewResponseSchema = z.object({ id: z.number(), html_url: z.string() });

/**
 * GitHub refused the review for good (a 4xx that is not a rate limit, after every fallback):
 * retrying the run would only repeat it. `status` is GitHub's HTTP status.
 */
export class ReviewRefusedError extends Error {
  readonly status: number | undefined;
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = "ReviewRefusedError";
    this.status = statusOf(options.cause);
  }
}

/** What to tell the user about a failed review POST, by GitHub's answer. */
function adviceFor(error: unknown): string {
  const status = statusOf(error);
  const message = (error as Error).message ?? "";
  if (status === 429 || (status === 403 && /rate limit/i.test(message)))
    return "GitHub's rate limit stopped it; the run retries by itself.";
  if (status === 403 || status === 404)
    return 'Check that the app has "Pull requests: write" permission on this repository.';
  if (status === 422)
    return "GitHub would not accept the review on this commit (was it force-pushed?).";
  return "GitHub did not answer properly; the run retries by itself.";
}

/** Whether GitHub's refusal will not change on retry (4xx other than rate limits). */
function isPermanent(error: unknown): boolean {
  const status = statusOf(error);
  if (status === undefined || status >= 500 || status === 429) return false;
  return !(status === 403 && /rate limit/i.test((error as Error).message ?? ""));
}

/**
 * Posts ONE review with `event: COMMENT` (never approve or request changes). If GitHub refuses it
 * with 422 (one bad line sinks the whole review, and the error does not say which), posts the
 * review body alone, then each comment on its own, and every comment GitHub still refuses becomes
 * part of one file-level comment per file. Fallback writes are spaced out (`pause`) to stay under
 * GitHub's secondary rate limits.
 */
export async function postReview(params: {
  octokit: GitHubRestClient;
  owner: string;
  repo: string;
  pullNumber: number;
  commitId: string;
  body: string;
  comments: readonly ReviewComment[];
  pause: (ms: number) => Promise<void>;
  pauseBetweenWritesMs?: number;
}): Promise<PostedReview> {
  const { octokit, owner, repo, pullNumber, commitId } = params;
  const target = { owner, repo, pull_number: pullNumber };
  const pause = params.pause;
  const refusal = (error: unknown) => {
    const message = `GitHub refused the review on ${owner}/${repo}#${pullNumber} (HTTP ${statusOf(error) ?? "no answer"}): ${(error as Error).message}. ${adviceFor(error)}`;
    return isPermanent(error)
      ? new ReviewRefusedError(message, { cause: error })
      : new Error(message, { cause: error });
  };
  // Unique to this call, so a review saved before a 5xx is found and adopted, not posted twice.
  const postMarker = `<!-- tech-lead-bot:post=${randomUUID()} -->`;
  const body = `${params.body}\n${postMarker}`;
  const createReview = (comments: readonly ReviewComment[]) =>
    createOnce({
      create: async () =>
        reviewResponseSchema.parse(
          (
            await octokit.request("POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews", {
              ...target,
              commit_id: commitId,
              event: "COMMENT",
              body,
              comments: comments.map((comment) => ({
                path: comment.path,
                line: comment.line,
                side: comment.side,
                body: bodyOf(comment),
              })),
              request: NO_BLIND_RETRY,
            })
          ).data,
        ),
      findExisting: () =>
        findBotItemByMarker({
          octokit,
          route: "GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews",
          params: target,
          marker: postMarker,
        }),
      pause,
    });
  /** One comment outside a review, exactly once (found again by its hidden hunk marker). */
  const createComment = (fields: Record<string, unknown>, marker: string) =>
    createOnce({
      create: async () => {
        await octokit.request("POST /repos/{owner}/{repo}/pulls/{pull_number}/comments", {
          ...target,
          commit_id: commitId,
          ...fields,
          request: NO_BLIND_RETRY,
        });
        return true;
      },
      findExisting: () =>
        findBotItemByMarker({
          octokit,
          route: "GET /repos/{owner}/{repo}/pulls/{pull_number}/comments",
          params: target,
          marker,
        }).then((found) => (found ? true : undefined)),
      pause,
    });

  try {
    const review = await createReview(params.comments);
    return {
      reviewId: review.id,
      reviewUrl: review.html_url,
      inline: params.comments.length,
      fileLevel: 0,
      dropped: 0,
      usedFallback: false,
      writes: 1,
    };
  } catch (error) {
    if (statusOf(error) !== 422 || params.comments.length === 0) throw refusal(error);
  }

  const pauseMs = params.pauseBetweenWritesMs ?? 1000;
  const review = await createReview([]).catch((error: unknown) => {
    throw refusal(error);
  });
  let writes = 2;
  let inline = 0;
  const refused = new Map<string, ReviewComment[]>();
  for (const comment of params.comments) {
    await params.pause(pauseMs);
    writes++;
    try {
      await createComment(
        { path: comment.path, line: comment.line, side: comment.side, body: bodyOf(comment) },
        comment.marker,
      );
      inline++;
    } catch (error) {
      if (statusOf(error) !== 422) throw error;
      refused.set(comment.path, [...(refused.get(comment.path) ?? []), comment]);
    }
  }
  let fileLevel = 0;
  let dropped = 0;
  for (const [path, comments] of refused) {
    await params.pause(pauseMs);
    writes++;
    try {
      await createComment(
        {
          path,
          subject_type: "file",
          body: [
            ...comments.map(
              (comment) =>
                `- line ${comment.line}${comment.side === "LEFT" ? " (old file)" : ""}: ${comment.text}`,
            ),
            "",
            ...comments.map((comment) => comment.marker),
          ].join("\n"),
        },
        comments[0]?.marker ?? "",
      );
      fileLevel += comments.length;
    } catch (error) {
      // GitHub no longer knows the file on this commit (e.g. a push in between): give up on it.
      if (statusOf(error) !== 422) throw error;
      dropped += comments.length;
    }
  }
  return {
    reviewId: review.id,
    reviewUrl: review.html_url,
    inline,
    fileLevel,
    dropped,
    usedFallback: true,
    writes,
  };
}
