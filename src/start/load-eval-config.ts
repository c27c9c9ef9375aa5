import { coreConfigSchema } from "../config/core-config.js";
import { withEmbeddedLlmDefaults } from "../config/embedded-llm.js";
import { parseEnv } from "../config/parse-env.js";
import { type EvalCommandConfig, evalConfigSchema } from "../eval/eval-config.js";
import { reviewConfigSchema } from "../review/review-config.js";
import { trainConfigSchema } from "../train/train-config.js";

/**
 * `npm run eval`'s configuration from `env`, under the one empty-value rule. Scoring a
 * predictions file (`scoreOnly`) reads SCORER_COMMAND only, so no LLM variable can stop it.
 * @throws ConfigError naming each bad variable and how to fix it.
 */
export function loadEvalConfig(
  env: Record<string, string | undefined>,
  options: { scoreOnly?: boolean } = {},
): EvalCommandConfig {
  const scorer = parseEnv(evalConfigSchema, env);
  if (options.scoreOnly) return { scorer };
  const withDefaults = withEmbeddedLlmDefaults(env);
  const core = parseEnv(
    coreConfigSchema.pick({ REDIS_URL: true, QUEUE_PREFIX: true }),
    withDefaults,
  );
  return {
    scorer,
    model: {
      review: parseEnv(reviewConfigSchema, withDefaults),
      redisUrl: core.REDIS_URL,
      keyPrefix: core.QUEUE_PREFIX,
      adaptersDir: parseEnv(trainConfigSchema.pick({ ADAPTERS_DIR: true }), withDefaults)
        .ADAPTERS_DIR,
    },
  };
}
