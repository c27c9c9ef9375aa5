import { UnrecoverableError } from "bullmq";
import type OpenAI from "openai";
import { prepareReviewFeedback } from "../../feedback/prepare-review-feedback.js";
import { RepoConfigFileError } from "../../github/read-repo-config-file.js";
import { loadFewShotExamples } from "../../history/load-few-shot-examples.js";
import { loadAdapterIndex, loadHistoryIndex } from "../../retrieval/retrieval-store.js";
import type { ReviewPromptTemplates } from "../../review/load-review-prompts.js";
import { ReviewRefusedError } from "../../review/post-review.js";
import { ModelUnavailableError } from "../../review/read-hunks-with-model.js";
import type { ReviewConfig } from "../../review/review-config.js";
import type { ReviewModel } from "../../review/review-model.js";
import { modelVersionLabel } from "../../review/review-model.js";
import { reviewPullRequest } from "../../review/review-pull-request.js";
import type { PlanWhere } from "../../review/where-plan.js";
import { planWhereReading } from "../../where/plan-where-reading.js";
import type { WhereModel } from "../../where/where-model.js";
import { getWhereRecord } from "../../where/where-registry.js";
import { followAdapterEvaluation } from "../evaluation-watchers.js";
import type { RunContext, RunStage } from "../stage-contract.js";

/**
 * Used when the reviewer's comment rate is unknown (no hunks in their history had a full diff):
 * roughly one comment per five hunks, a middle value across the reviewers we collected.
 */
const DEFAULT_COMMENT_RATE = 0.2;
/** Past comments shown to the base model in few-shot mode (plus half as many silent hunks). */
const FEW_SHOT_EXAMPLES = 8;

export interface ReviewStageParams {
  config: ReviewConfig & { QUEUE_PREFIX: string };
  templates: ReviewPromptTemplates;
  llm: OpenAI;
  /** `.github/tech-lead-bot.yml` through Probot's config loader (needs the installation client). */
  readRepoConfig: (context: RunContext) => Promise<unknown>;
  /** GitHub's web URL (https://github.com or the GHE host), for precedent links. */
  webUrl?: string;
}

/**
 * Last stage: review the pull request with the reviewer's adapter when the train stage chose one,
 * otherwise with the base model and few-shot examples from the reviewer's own history.
 */
export function createReviewStage(params: ReviewStageParams): RunStage {
  return {
    name: "review",
    async run(context) {
      const { job } = context;
      const model = await chooseReviewModel(context, params);
      const note = context.session.afterReviewNote;
      // The review's outcome is its last status; a pending evaluation is followed under it.
      let last: { headline: string; details?: string[] } | undefined;
      try {
        const repoConfigFile = await params.readRepoConfig(context);
        const pull = {
          octokit: context.octokit,
          owner: job.owner,
          repo: job.repo,
          pullNumber: job.pullNumber,
          headSha: job.headSha,
          reviewerLogin: job.reviewerLogin,
        };
        const feedback = await prepareReviewFeedback({
          ...pull,
          redis: context.redis,
          keyPrefix: params.config.QUEUE_PREFIX,
          modelVersion: modelVersionLabel(model),
          repoConfigFile,
          webUrl: params.webUrl ?? "https://github.com",
        });
        await reviewPullRequest({
          ...pull,
          model,
          reviewerCommentRate:
            context.session.history?.stats.commentRatePerHunk ?? DEFAULT_COMMENT_RATE,
          repoConfigFile,
          llm: params.llm,
          templates: params.templates,
          config: params.config,
          showStatus: (headline, details) => {
            const lines = note === undefined ? details : [...(details ?? []), note];
            last = lines === undefined ? { headline } : { headline, details: lines };
            return context.status.show(headline, lines);
          },
          log: context.log,
          feedback,
          planWhere: await wherePlannerOf(context, params.config.QUEUE_PREFIX),
        });
      } catch (error) {
        // A broken repository config will not fix itself on retry; the status already says why.
        if (error instanceof RepoConfigFileError) throw new UnrecoverableError(error.message);
        // GitHub refused the review after every fallback: a new attempt would be refused too.
        if (error instanceof ReviewRefusedError) throw new UnrecoverableError(error.message);
        // Every model call failed: three more attempts would ask a down server the whole PR again.
        if (error instanceof ModelUnavailableError) throw new UnrecoverableError(error.message);
        throw error;
      }
      const pending = context.session.pendingEvaluation;
      if (pending && last) {
        await followAdapterEvaluation({
          context,
          keyPrefix: params.config.QUEUE_PREFIX,
          adapter: pending,
          last,
        });
      }
      return { kind: "done" };
    },
  };
}

/**
 * The where decision the review asks for: the where-model stage's model (or the registry's, in
 * runs built without that stage) bound to planWhereReading; without one, the rate budget and why.
 */
async function wherePlannerOf(context: RunContext, keyPrefix: string): Promise<PlanWhere> {
  const where = context.session.where;
  let model: WhereModel | undefined;
  if (where && "model" in where) model = where.model;
  else if (!where) {
    const { job } = context;
    const record = await getWhereRecord({
      redis: context.redis,
      keyPrefix,
      subject: { owner: job.owner, repo: job.repo, reviewerLogin: job.reviewerLogin },
    });
    model = record?.model;
  }
  const problem = where && "problem" in where ? where.problem : undefined;
  return (params) =>
    !model && problem
      ? { kind: "rate-budget", reason: problem }
      : planWhereReading({ ...params, model });
}

async function chooseReviewModel(
  context: RunContext,
  params: ReviewStageParams,
): Promise<ReviewModel> {
  const chosen = context.session.model;
  const location = {
    redis: context.redis,
    keyPrefix: params.config.QUEUE_PREFIX,
    subject: {
      owner: context.job.owner,
      repo: context.job.repo,
      reviewerLogin: context.job.reviewerLogin,
    },
  };
  // The reviewer's precedents: an adapter's own snapshot (what its training data was augmented
  // from), else the history's current index (src/retrieval).
  if (chosen?.kind === "adapter") {
    const precedents = await loadAdapterIndex({ ...location, adapterName: chosen.name });
    return { ...chosen, ...(precedents ? { precedents } : {}) };
  }
  const [examples, precedents] = await Promise.all([
    loadFewShotExamples({ ...location, count: FEW_SHOT_EXAMPLES }),
    loadHistoryIndex(location),
  ]);
  return {
    kind: "few-shot",
    baseModel: params.config.BASE_MODEL_NAME,
    examples,
    ...(chosen?.kind === "few-shot" ? { reason: chosen.reason } : {}),
    ...(precedents ? { precedents } : {}),
  };
}
