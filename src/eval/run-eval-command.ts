import type { Logger } from "pino";
import { createLlmClient } from "../llm/create-llm-client.js";
import { commentSamplingFor } from "../review/consensus-comment.js";
import { loadReviewPrompts } from "../review/load-review-prompts.js";
import type { EvalCommandConfig } from "./eval-config.js";
import { evaluateModels } from "./evaluate-models.js";
import type { EvaluationScores } from "./evaluation-scores.js";
import { loadEvalInputs } from "./load-eval-inputs.js";
import { type EvalArgs, UsageError } from "./parse-eval-args.js";
import { createScorerRunner } from "./run-scorer.js";
import { scorePredictionsFile } from "./score-predictions-file.js";
import type { ReportFiles } from "./write-evaluation-report.js";

/**
 * `npm run eval`: with the configuration its entry point assembled (the review stage's LLM
 * variables, SCORER_COMMAND, REDIS_URL/QUEUE_PREFIX), reads the holdout and examples, evaluates
 * the three systems and writes the report to `args.outputDir`. With `args.predictionsPath` it
 * only scores that file (`config.scorer`; the entry point reads no LLM variables then).
 *
 * @throws Error when the configuration, inputs, LLM endpoint or scorer fail, saying which.
 */
export async function runEvalCommand(params: {
  args: EvalArgs;
  config: EvalCommandConfig;
  log: Logger;
}): Promise<{ scores: EvaluationScores; files: ReportFiles }> {
  const { args, log } = params;
  const scorer = createScorerRunner({ command: params.config.scorer.SCORER_COMMAND });
  if (args.predictionsPath) {
    return scorePredictionsFile({
      path: args.predictionsPath,
      name: args.name,
      reviewerLogin: args.reviewerLogin,
      repoFullName: args.repo ? `${args.repo.owner}/${args.repo.name}` : undefined,
      scorer,
      outputDir: args.outputDir,
      date: args.date,
      log,
    });
  }
  const { repo, reviewerLogin } = args;
  if (!repo || !reviewerLogin) throw new UsageError("--repo and --reviewer are required");
  const model = params.config.model;
  if (!model)
    throw new Error("npm run eval: the model configuration was not loaded (LLM_BASE_URL, …)");
  const { review } = model;
  const templates = await loadReviewPrompts();
  const inputs = await loadEvalInputs({
    subject: { owner: repo.owner, repo: repo.name, reviewerLogin },
    templates,
    holdoutPath: args.holdoutPath,
    trainPath: args.trainPath,
    commentRate: args.commentRate,
    commentBudget: args.commentBudget,
    adapterName: args.adapterName,
    redis: { url: model.redisUrl, keyPrefix: model.keyPrefix },
    log,
  });
  const { scores, files } = await evaluateModels({
    ...inputs,
    reviewerLogin,
    repoFullName: `${repo.owner}/${repo.name}`,
    baseModel: review.BASE_MODEL_NAME,
    adapterName: args.adapterName,
    client: createLlmClient({
      baseUrl: review.LLM_BASE_URL,
      apiKey: review.LLM_API_KEY,
      timeoutMs: review.LLM_TIMEOUT_MS,
      maxRetries: review.LLM_MAX_RETRIES,
      adaptersDir: model.adaptersDir,
    }),
    templates,
    concurrency: review.LLM_CONCURRENCY,
    sampling: commentSamplingFor(review.LLM_COMMENT_SAMPLES),
    scorer,
    outputDir: args.outputDir,
    date: args.date,
    log,
  });
  if (!files) throw new Error("the report was not written: outputDir was empty");
  return { scores, files };
}
