import { z } from "zod";
import { statusOf } from "../github/github-client.js";
import type { GitHubClient } from "./github-client.js";
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
 * Posts ONE review with `event: COMMENT` (never approve or request changes). If GitHub refuses it
 * with 422 (one bad line sinks the whole review, and the error does not say which), posts the
 * review body alone, then each comment on its own, and every comment GitHub still refuses becomes
 * part of one file-level comment per file. Fallback writes are spaced out (`pause`) to stay under
 * GitHub's secondary rate limits.
 */
export async function postReview(params: {
  octokit: GitHubClient;
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
  const createReview = async (comments: readonly ReviewComment[], body: string) =>
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
        })
      ).data,
    );

  try {
    const review = await createReview(params.comments, params.body);
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
    if (statusOf(error) !== 422 || params.comments.length === 0) {
      throw new Error(
        `GitHub refused the review on ${owner}/${repo}#${pullNumber}: ${(error as Error).message}. Check that the app has "Pull requests: write" permission.`,
        { cause: error },
      );
    }
  }

  const pauseMs = params.pauseBetweenWritesMs ?? 1000;
  const review = await createReview([], params.body);
  let writes = 2;
  let inline = 0;
  const refused = new Map<string, ReviewComment[]>();
  for (const comment of params.comments) {
    await params.pause(pauseMs);
    writes++;
    try {
      await octokit.request("POST /repos/{owner}/{repo}/pulls/{pull_number}/comments", {
        ...target,
        commit_id: commitId,
        path: comment.path,
        line: comment.line,
        side: comment.side,
        body: bodyOf(comment),
      });
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
      await octokit.request("POST /repos/{owner}/{repo}/pulls/{pull_number}/comments", {
        ...target,
        commit_id: commitId,
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
      });
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
