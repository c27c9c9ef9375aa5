import type { Logger } from "pino";
import { describeEvaluation } from "../eval/describe-evaluation.js";
import { evaluateModels } from "../eval/evaluate-models.js";
import type { EvaluationScores } from "../eval/evaluation-scores.js";
import { loadEvalInputs } from "../eval/load-eval-inputs.js";
import { createScorerRunner } from "../eval/run-scorer.js";
import { createLlmClient } from "../llm/create-llm-client.js";
import { commentSamplingFor } from "../review/consensus-comment.js";
import { loadReviewPrompts } from "../review/load-review-prompts.js";

/** What the registry keeps of an evaluation: flat figures and the one-line quote. */
export interface AdapterEvaluation {
  scores: Record<string, number>;
  summary: string;
}

/** Runs the holdout evaluation for a freshly published adapter (see {@link evaluateModels}). */
export type EvaluateAdapter = (params: {
  subject: { owner: string; repo: string; reviewerLogin: string };
  adapterName: string;
  log: Logger;
}) => Promise<AdapterEvaluation>;

/**
 * Why the evaluation after training leaves zero-shot out: its summary line, the registry's figures
 * and the dashboard compare the adapter with few-shot, and zero-shot would cost as many LLM
 * requests again (a third of the evaluation) for a column nothing there reads.
 */
export const ZERO_SHOT_NOT_RUN_AFTER_TRAINING =
  "not run after training: the evaluation after publishing compares the adapter with few-shot; `npm run eval` runs zero-shot too";

/**
 * The evaluation a GPU host runs after each training: the new adapter and the base model
 * few-shot on the reviewer's holdout (still in Redis: the training job holds the history),
 * through vLLM at LLM_BASE_URL, which loads the adapter from ADAPTERS_DIR by its name, beside the
 * model-free baselines (the where-model, size rule, always-comment, retrieval-only, most
 * frequent comment). Zero-shot is not run ({@link ZERO_SHOT_NOT_RUN_AFTER_TRAINING}).
 */
export function createAdapterEvaluator(config: {
  REDIS_URL: string;
  QUEUE_PREFIX: string;
  LLM_BASE_URL: string;
  LLM_API_KEY: string;
  LLM_TIMEOUT_MS: number;
  LLM_MAX_RETRIES: number;
  LLM_CONCURRENCY: number;
  /** The review's LLM_COMMENT_SAMPLES: the "what" comments are chosen as the review chooses them. */
  LLM_COMMENT_SAMPLES?: number | undefined;
  BASE_MODEL_NAME: string;
  SCORER_COMMAND: string;
  ADAPTERS_DIR?: string | undefined;
}): EvaluateAdapter {
  return async ({ subject, adapterName, log }) => {
    const templates = await loadReviewPrompts();
    const inputs = await loadEvalInputs({
      subject,
      templates,
      // Its precedents: the index snapshotted with its training data, as the review asks it.
      adapterName,
      redis: { url: config.REDIS_URL, keyPrefix: config.QUEUE_PREFIX },
      log,
    });
    const { scores } = await evaluateModels({
      ...inputs,
      reviewerLogin: subject.reviewerLogin,
      repoFullName: `${subject.owner}/${subject.repo}`,
      baseModel: config.BASE_MODEL_NAME,
      adapterName,
      skipSystems: { "zero-shot": ZERO_SHOT_NOT_RUN_AFTER_TRAINING },
      client: createLlmClient({
        baseUrl: config.LLM_BASE_URL,
        apiKey: config.LLM_API_KEY,
        timeoutMs: config.LLM_TIMEOUT_MS,
        maxRetries: config.LLM_MAX_RETRIES,
        adaptersDir: config.ADAPTERS_DIR,
      }),
      templates,
      concurrency: config.LLM_CONCURRENCY,
      sampling: commentSamplingFor(config.LLM_COMMENT_SAMPLES ?? 1),
      scorer: createScorerRunner({ command: config.SCORER_COMMAND }),
      log,
    });
    return { scores: flattenScores(scores), summary: describeEvaluation(scores) };
  };
}

/**
 * `adapter.comment_f1`, `few-shot.embed_sim`, … for every figure a system produced, and the
 * "what" figures on every commented hunk as `what.adapter.embed_sim`, `what.retrieval-only.chrf`, …,
 * and the where-model's as `where.where-model.f1`, `where.size-rule.f1`, ….
 */
export function flattenScores(scores: EvaluationScores): Record<string, number> {
  const flat: Record<string, number> = {};
  const add = (prefix: string, figures: Record<string, unknown>) => {
    for (const [metric, value] of Object.entries(figures)) {
      if (typeof value === "number") flat[`${prefix}.${metric}`] = value;
    }
  };
  for (const system of scores.systems) if (system.ran) add(system.id, system.scores);
  for (const system of scores.text?.systems ?? []) {
    if (system.ran) add(`what.${system.id}`, system.scores);
  }
  if (scores.where?.ran) {
    for (const { id, title: _title, ...figures } of scores.where.systems)
      add(`where.${id}`, figures);
  }
  return flat;
}
