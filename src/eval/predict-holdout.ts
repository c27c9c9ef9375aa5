import type OpenAI from "openai";
import type { Logger } from "pino";
import { createConcurrencyLimit } from "../llm/limit-concurrency.js";
import type { ReviewPromptTemplates } from "../review/load-review-prompts.js";
import { readHunksWithModel } from "../review/read-hunks-with-model.js";
import type { HunkVerdict } from "../review/review-hunk.js";
import { modelNameOf, type ReviewModel } from "../review/review-model.js";
import type { HoldoutExample } from "./read-holdout.js";
import { type HoldoutPrediction, selectOverHoldout } from "./select-over-holdout.js";

/** One system's predictions for every holdout hunk, and the hunks it failed on by reason. */
export interface SystemPredictions {
  predictions: HoldoutPrediction[];
  failedHunks: Record<string, number>;
  /**
   * The model's own answer for each hunk it answered, before selection over the holdout: the
   * "what" step takes a comment from here instead of asking the same prompt again (evaluateText).
   */
  answers: ReadonlyMap<HoldoutExample, HunkVerdict>;
}

/**
 * Runs one system over the holdout with the review stage's own code: the same prompt per hunk
 * (persona, few-shot examples picked per hunk, the hunk), the same LLM call and scoring, the same
 * answer parsing and line mapping, then {@link selectOverHoldout}.
 *
 * @throws Error when the model answered for none of the hunks (endpoint down, model not served).
 */
export async function predictHoldout(params: {
  examples: readonly HoldoutExample[];
  client: OpenAI;
  templates: ReviewPromptTemplates;
  model: ReviewModel;
  reviewerLogin: string;
  repoFullName: string;
  /** Most comments kept over the holdout (see holdoutBudget). */
  budget: number;
  concurrency: number;
  log: Logger;
}): Promise<SystemPredictions> {
  const modelName = modelNameOf(params.model);
  const { read, failures, firstError } = await readHunksWithModel({
    items: params.examples.map((example) => ({ example, hunk: example.hunk })),
    client: params.client,
    templates: params.templates,
    model: params.model,
    reviewerLogin: params.reviewerLogin,
    repoFullName: params.repoFullName,
    limit: createConcurrencyLimit(params.concurrency),
    onProgress: (done) => {
      if (done % 50 === 0) params.log.debug({ model: modelName, done }, "eval: hunks read");
    },
  });
  if (read.length === 0) {
    throw new Error(
      `the model "${modelName}" answered for none of the ${params.examples.length} holdout hunks (${Object.keys(failures).join(", ")}). Check that LLM_BASE_URL reaches vLLM and that it serves "${modelName}".`,
      { cause: firstError },
    );
  }
  if (Object.keys(failures).length > 0) {
    params.log.warn({ model: modelName, failures }, "eval: some hunks got no answer");
  }
  return {
    predictions: selectOverHoldout({
      read,
      holdoutSize: params.examples.length,
      budget: params.budget,
    }),
    failedHunks: failures,
    answers: new Map(read.map(({ item, verdict }) => [item.example, verdict])),
  };
}
