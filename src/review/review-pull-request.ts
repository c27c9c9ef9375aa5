import type OpenAI from "openai";
import type { Logger } from "pino";
import { parseRepoReviewConfig } from "../github/repo-config-schema.js";
import { createConcurrencyLimit } from "../llm/limit-concurrency.js";
import { commentsPerReview, reviewsPostedTotal } from "../observe/metrics.js";
import { buildReviewBody, summariseChange } from "./build-review-body.js";
import { chooseComments } from "./choose-comments.js";
import { completeReviewMarker } from "./complete-review-marker.js";
import { commentSamplingFor, refineChosenComments } from "./consensus-comment.js";
import { fetchPullDiff } from "./fetch-pull-diff.js";
import { commentFingerprintMarker } from "./fingerprint.js";
import {
  countsWithoutReading,
  formatNothingNew,
  formatNothingToRead,
  formatReviewDone,
  formatReviewFailed,
  formatReviewProgress,
  formatWordingProgress,
  type ReviewCounts,
} from "./format-review-status.js";
import type { ReviewPromptTemplates } from "./load-review-prompts.js";
import { planHunksToRead } from "./plan-hunks-to-read.js";
import { postReview } from "./post-review.js";
import { readHunksWithModel } from "./read-hunks-with-model.js";
import { readPreviousFingerprints } from "./read-previous-fingerprints.js";
import type { ReviewConfig } from "./review-config.js";
import type { PullUnderReview, ReviewFeedback } from "./review-feedback.js";
import type { ReviewModel } from "./review-model.js";
import { summariseChangeWithModel } from "./summarise-change-with-model.js";
import {
  type Clock,
  type ShowStatus,
  systemClock,
  throttleStatusUpdates,
} from "./throttle-status-updates.js";
import type { PlanWhere, WherePlan } from "./where-plan.js";

export interface ReviewPullRequestParams extends PullUnderReview {
  model: ReviewModel;
  /** The reviewer's historical inline comments per hunk they reviewed (e.g. 0.12). */
  reviewerCommentRate: number;
  /** `.github/tech-lead-bot.yml` as Probot's config loader returns it (see readRepoConfigFile). */
  repoConfigFile: unknown;
  /** OpenAI client for LLM_BASE_URL (createLlmClient), with its timeout and retries. */
  llm: OpenAI;
  templates: ReviewPromptTemplates;
  config: Pick<
    ReviewConfig,
    | "BASE_MODEL_NAME"
    | "LLM_CONCURRENCY"
    | "LLM_MAX_HUNK_CHARS"
    | "MAX_COMMENTS_PER_REVIEW"
    | "MAX_HUNKS_PER_REVIEW"
    | "STATUS_UPDATE_INTERVAL_MS"
  > &
    Partial<Pick<ReviewConfig, "LLM_ANSWER_CONSTRAINT" | "LLM_COMMENT_SAMPLES">>;
  /** Shows a state in the run's status comment: `RunContext.status.show` (one write per call). */
  showStatus: ShowStatus;
  log: Logger;
  clock?: Clock;
  /** The feedback loop: holds back, prefers, cites, records what was posted, shows figures. */
  feedback?: ReviewFeedback;
  /**
   * The reviewer's where-model (src/where, bound by the run's review stage): decides where the
   * persona speaks before the LLM is asked, and the LLM reads only those hunks plus a margin.
   * Undefined: the rate budget decides over the LLM's own ranking (the status says so).
   */
  planWhere?: PlanWhere;
}

export interface ReviewOutcome {
  /** Absent when there was nothing new to review. */
  reviewUrl?: string;
  counts: ReviewCounts;
  durationMs: number;
  /** Review, comment and status writes this run sent to GitHub. */
  githubWrites: number;
}

/**
 * The review stage: reads the PR hunk by hunk with the reviewer's model, keeps the comments the
 * reviewer would most likely make, and posts them as ONE `COMMENT` review on `headSha`. Hunks
 * this model already read on the PR (same fingerprint) are skipped, so a rerun on the same commit
 * posts nothing and a later push only reviews new hunks. Ends by writing the outcome to the
 * status comment; on failure writes what failed and what to do, then rethrows.
 */
export async function reviewPullRequest(params: ReviewPullRequestParams): Promise<ReviewOutcome> {
  const clock = params.clock ?? systemClock;
  const started = clock.now();
  const { owner, repo, pullNumber, reviewerLogin, log } = params;
  const status = throttleStatusUpdates({
    showStatus: params.showStatus,
    clock,
    intervalMs: params.config.STATUS_UPDATE_INTERVAL_MS,
    log,
  });
  try {
    const repoConfig = parseRepoReviewConfig(params.repoConfigFile);
    const target = { octokit: params.octokit, owner, repo, pullNumber };
    const [pullDiff, previous] = await Promise.all([
      fetchPullDiff(target),
      readPreviousFingerprints(target),
    ]);
    const plan = planHunksToRead({
      diffText: pullDiff.diffText,
      filesWithoutPatch: pullDiff.filesWithoutPatch,
      extraIgnoreGlobs: repoConfig.ignore,
      reviewerLogin,
      model: params.model,
      maxHunkChars: params.config.LLM_MAX_HUNK_CHARS,
      maxHunks: Math.min(params.config.MAX_HUNKS_PER_REVIEW, repoConfig.max_hunks ?? Infinity),
      alreadyRead: previous,
    });
    const { toRead, skippedFiles } = plan;
    log.info(
      {
        pr: pullNumber,
        toRead: toRead.length,
        alreadyReviewed: plan.alreadyReviewed,
        source: pullDiff.source,
      },
      "review: diff parsed",
    );
    if (toRead.length === 0) {
      const durationMs = clock.now() - started;
      await status.final(
        plan.alreadyReviewed > 0
          ? formatNothingNew({
              headSha: params.headSha,
              alreadyReviewed: plan.alreadyReviewed,
              durationMs,
            })
          : formatNothingToRead({ headSha: params.headSha, skippedFiles, durationMs }),
      );
      return {
        counts: countsWithoutReading(plan.alreadyReviewed, skippedFiles),
        durationMs,
        githubWrites: status.writes(),
      };
    }

    const maxComments = Math.min(
      params.config.MAX_COMMENTS_PER_REVIEW,
      repoConfig.max_comments ?? 30,
    );
    const wherePlan: WherePlan = params.planWhere
      ? params.planWhere({
          hunks: toRead.map((entry) => entry.hunk),
          mode: repoConfig.where,
          maxComments,
        })
      : { kind: "rate-budget", reason: "no where-model for this reviewer yet" };
    const whereScores = new Map<string, number>();
    const toAsk =
      wherePlan.kind === "where-model"
        ? wherePlan.ask.flatMap((index) => {
            const planned = toRead[index];
            if (!planned) return [];
            whereScores.set(planned.fingerprint, wherePlan.probabilities[index] ?? 0);
            return [planned];
          })
        : toRead;
    log.info(
      {
        pr: pullNumber,
        where: wherePlan.kind,
        asked: toAsk.length,
        ...(wherePlan.kind === "rate-budget"
          ? { reason: wherePlan.reason }
          : { wouldComment: wherePlan.target }),
      },
      "review: where decided",
    );

    // One extra request, queued first under the same limit, so it costs no extra round.
    const limit = createConcurrencyLimit(params.config.LLM_CONCURRENCY);
    const summary = limit(() =>
      summariseChangeWithModel({
        client: params.llm,
        model:
          params.model.kind === "few-shot" ? params.model.baseModel : params.config.BASE_MODEL_NAME,
        templates: params.templates,
        files: plan.kept,
        maxChars: params.config.LLM_MAX_HUNK_CHARS,
      }),
    ).catch((error: unknown) => {
      log.warn(
        { err: error, pr: pullNumber },
        "review: summary from the model failed; using counts",
      );
      return summariseChange(plan.kept);
    });
    const { read, failures, firstError } = await readHunksWithModel({
      items: toAsk,
      client: params.llm,
      templates: params.templates,
      model: params.model,
      reviewerLogin,
      repoFullName: `${owner}/${repo}`,
      limit,
      ...(params.config.LLM_ANSWER_CONSTRAINT
        ? { answerConstraint: params.config.LLM_ANSWER_CONSTRAINT }
        : {}),
      onProgress: (done) =>
        status.progress(() => formatReviewProgress({ done, total: toAsk.length })),
    });
    if (read.length === 0 && toAsk.length > 0) {
      throw new Error(
        `the model answered for none of the ${toAsk.length} hunks (${Object.keys(failures).join(", ")}). Check that LLM_BASE_URL reaches vLLM and that it serves "${params.model.kind === "adapter" ? params.model.name : params.model.baseModel}", then comment again.`,
        { cause: firstError },
      );
    }

    // With the where-model, its probability ranks the answers (the selected hunks first, the
    // margin after) and its selection is the budget; the LLM only writes what to say.
    const ranked =
      wherePlan.kind === "where-model"
        ? read.map(({ item, verdict }) => ({
            item,
            verdict:
              verdict.kind === "comment"
                ? { ...verdict, score: whereScores.get(item.fingerprint) ?? verdict.score }
                : verdict,
          }))
        : read;
    const choose = (answers: typeof ranked) =>
      chooseComments({
        read: answers,
        files: plan.files,
        reviewerCommentRate: params.reviewerCommentRate,
        maxComments,
        ...(wherePlan.kind === "where-model" ? { budget: wherePlan.target } : {}),
        ...(params.feedback ? { screen: params.feedback.screen } : {}),
      });
    let chosen = choose(ranked);
    // The words of the comments to post: the consensus of samples, the greedy answer and the
    // reviewer's precedents (LLM_COMMENT_SAMPLES; 1 posts the greedy answers). Lines and scores
    // stay, so the same hunks are chosen again (the feedback screen may hold a new text back).
    const sampling = commentSamplingFor(params.config.LLM_COMMENT_SAMPLES ?? 1);
    if (sampling && chosen.comments.length > 0) {
      status.progress(() =>
        formatWordingProgress({ comments: chosen.comments.length, samples: sampling.n }),
      );
      const markers = new Set(chosen.comments.map((comment) => comment.marker));
      const consensus = await refineChosenComments({
        read: ranked,
        isChosen: (item) => markers.has(commentFingerprintMarker(item.fingerprint)),
        client: params.llm,
        templates: params.templates,
        model: params.model,
        reviewerLogin,
        repoFullName: `${owner}/${repo}`,
        sampling,
        limit,
        answerConstraint: params.config.LLM_ANSWER_CONSTRAINT,
      });
      if (consensus.failed > 0) {
        log.warn(
          { err: consensus.firstError, pr: pullNumber, failed: consensus.failed },
          "review: sampling for the consensus failed; those comments keep the greedy answer",
        );
      }
      chosen = choose(consensus.read);
    }
    // The hunks the where-model let pass were read too (by it): a rerun does not ask about them.
    const asked = new Set(toAsk.map((item) => item.fingerprint));
    const answered = new Set(read.map(({ item }) => item.fingerprint));
    const readFingerprints =
      wherePlan.kind === "where-model"
        ? toRead.flatMap(({ fingerprint }) =>
            !asked.has(fingerprint) || answered.has(fingerprint) ? [fingerprint] : [],
          )
        : read.map(({ item }) => item.fingerprint);
    const hunksRead = wherePlan.kind === "where-model" ? readFingerprints.length : read.length;
    const where =
      wherePlan.kind === "where-model"
        ? {
            rule: "where-model" as const,
            mode: repoConfig.where,
            hunksScored: toRead.length,
            wouldComment: wherePlan.target,
            askedModel: toAsk.length,
          }
        : { rule: "rate-budget" as const, reason: wherePlan.reason };
    const body = buildReviewBody({
      reviewerLogin,
      model: params.model,
      summary: await summary,
      commentCount: chosen.comments.length,
      hunksRead,
      leftOut: chosen.belowRate + chosen.overReviewCap,
      maxComments,
      readFingerprints,
      heldBackNote: params.feedback?.describeHeldBack(chosen.heldBack) ?? "",
      ...(where.rule === "where-model"
        ? {
            where: {
              mode: where.mode,
              wouldComment: where.wouldComment,
              askedModel: where.askedModel,
            },
          }
        : {}),
    });
    // A review that read every hunk lets a later mention on this head end at once.
    const complete =
      Object.keys(failures).length === 0 && plan.overHunkLimit === 0
        ? `\n${completeReviewMarker({ reviewerLogin, headSha: params.headSha })}`
        : "";
    const posted = await postReview({
      ...target,
      commitId: params.headSha,
      body: `${body}${complete}`,
      comments: chosen.comments,
      pause: clock.sleep,
    });
    log.info(
      { pr: pullNumber, reviewId: posted.reviewId, comments: chosen.comments.length },
      "review: posted",
    );
    await params.feedback
      ?.recordPosted({ reviewId: posted.reviewId, comments: chosen.comments })
      .catch((error: unknown) =>
        log.warn(
          { err: error, pr: pullNumber },
          "review: could not record the comments' ids for feedback",
        ),
      );
    reviewsPostedTotal.inc();
    commentsPerReview.observe(posted.inline + posted.fileLevel);

    const counts: ReviewCounts = {
      hunksRead,
      where,
      alreadyReviewed: plan.alreadyReviewed,
      overHunkLimit: plan.overHunkLimit,
      commentsPosted: posted.inline + posted.fileLevel,
      fileLevelComments: posted.fileLevel,
      skippedFiles,
      failedHunks: failures,
      belowRate: chosen.belowRate,
      overReviewCap: chosen.overReviewCap,
      maxComments,
      droppedComments:
        posted.dropped > 0
          ? { ...chosen.dropped, "refused by GitHub": posted.dropped }
          : chosen.dropped,
    };
    const durationMs = clock.now() - started;
    await status.final(
      formatReviewDone({
        reviewUrl: posted.reviewUrl,
        counts,
        durationMs,
        ...(params.feedback ? { footer: params.feedback.footer } : {}),
      }),
    );
    return {
      reviewUrl: posted.reviewUrl,
      counts,
      durationMs,
      githubWrites: posted.writes + status.writes(),
    };
  } catch (error) {
    log.error({ err: error, pr: pullNumber }, "review failed");
    await status
      .final(formatReviewFailed({ error }))
      .catch((statusError: unknown) =>
        log.error({ err: statusError }, "could not write the failure to the status comment"),
      );
    throw error;
  }
}
