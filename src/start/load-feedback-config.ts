import { type CoreConfig, coreConfigSchema } from "../config/core-config.js";
import { parseEnv } from "../config/parse-env.js";

/**
 * `npm run feedback`'s configuration from `env` (Redis and the queue prefix), under the one
 * empty-value rule.
 * @throws ConfigError naming each bad variable and how to fix it.
 */
export function loadFeedbackConfig(env: Record<string, string | undefined>): CoreConfig {
  return parseEnv(coreConfigSchema, env);
}
