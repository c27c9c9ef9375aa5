import type { GitHubRestClient } from "../github/github-client.js";
import type { ReviewComment } from "./post-review.js";

/** The pull request one review is for: where it is, the commit reviewed, whose voice. */
export interface PullUnderReview {
  /** Installation Octokit (`octokit.request`), allowed to read the PR and write reviews. */
  octokit: GitHubRestClient;
  owner: string;
  repo: string;
  pullNumber: number;
  /** The commit the review is attached to; comments are placed on this commit's diff. */
  headSha: string;
  reviewerLogin: string;
}

/**
 * The review's interface to the feedback loop: what the review stage asks of it for one review.
 * `feedback/prepare-review-feedback.ts` implements it; the review never imports feedback/.
 */
export interface ReviewFeedback {
  /** Hold back / prefer / cite, for one candidate's sanitised text. */
  screen(text: string): { holdBack: boolean; preference: number; suffix: string };
  /** The review body's sentence about held-back comments, or "" when none were. */
  describeHeldBack(count: number): string;
  /** Records the comments just posted (ids read back from GitHub) for their fate to be followed. */
  recordPosted(params: { reviewId: number; comments: readonly ReviewComment[] }): Promise<number>;
  /** The persona's figures for the status comment's footer. */
  footer: string;
}
