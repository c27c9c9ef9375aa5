import { z } from "zod";
import type { ReviewConfig } from "../review/review-config.js";

/**
 * Environment of the evaluation beyond the review stage's (LLM_BASE_URL, LLM_API_KEY,
 * BASE_MODEL_NAME, LLM_CONCURRENCY, … from review-config.ts, which the evaluation parses as is).
 */
export const evalConfigSchema = z.object({
  SCORER_COMMAND: z
    .string()
    .trim()
    .min(1, {
      error: "SCORER_COMMAND is empty; unset it for python3 -m trainer score, or name a command",
    })
    .default("python3 -m trainer score")
    .describe(
      "Command that scores a pairs file (gets --pairs <file> appended; run in the repository root): the trainer's scorer",
    ),
});

export type EvalConfig = z.infer<typeof evalConfigSchema>;

/**
 * What `npm run eval` reads beyond SCORER_COMMAND when it asks the models (scoring a predictions
 * file reads none of it): assembled from the environment by src/start/load-eval-config.ts.
 */
export interface EvalModelConfig {
  /** The review stage's LLM variables, as the review reads them. */
  review: ReviewConfig;
  redisUrl: string;
  keyPrefix: string;
  adaptersDir: string | undefined;
}

/** The evaluation's configuration: the scorer, and the models' where the command asks them. */
export interface EvalCommandConfig {
  scorer: EvalConfig;
  model?: EvalModelConfig;
}
