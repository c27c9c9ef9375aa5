import { z } from "zod";
import { ConfigError } from "../config/config-error.js";
import { coreConfigSchema } from "../config/core-config.js";
import { withEmbeddedLlmDefaults } from "../config/embedded-llm.js";
import { parseEnv } from "../config/parse-env.js";
import { evalConfigSchema } from "../eval/eval-config.js";
import { reviewConfigSchema } from "../review/review-config.js";
import {
  requireTrainerHostConfig,
  type TrainerHostConfig,
  trainConfigSchema,
} from "../train/train-config.js";

/** A GPU host reads Redis, queue and training variables only: no GitHub App credentials. */
export const trainerHostConfigSchema = coreConfigSchema
  .extend(trainConfigSchema.shape)
  .extend(reviewConfigSchema.shape)
  .extend(evalConfigSchema.shape)
  .extend({
    EVALUATE_AFTER_TRAINING: z
      .enum(["true", "false"], { error: "EVALUATE_AFTER_TRAINING must be true or false" })
      .default("true")
      .transform((value) => value === "true")
      .describe(
        "Score each new adapter on the reviewer's holdout through vLLM (LLM_BASE_URL) after training",
      ),
  });

export type TrainerHostEnvConfig = z.infer<typeof trainerHostConfigSchema> & TrainerHostConfig;

/**
 * Reads the training worker's environment once, at start-up.
 * @throws ConfigError naming each bad or missing variable and how to fix it.
 */
export function loadTrainerHostConfig(env: NodeJS.ProcessEnv = process.env): TrainerHostEnvConfig {
  const config = parseEnv(trainerHostConfigSchema, withEmbeddedLlmDefaults(env));
  try {
    return Object.freeze({ ...config, ...requireTrainerHostConfig(config) });
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
}
