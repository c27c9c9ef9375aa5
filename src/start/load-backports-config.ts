import {
  type BackportsLlmConfig,
  backportsLlmConfigSchema,
} from "../backports/backports-llm-config.js";
import {
  type BackportsWorkerConfig,
  backportsWorkerConfigSchema,
} from "../backports/backports-worker-config.js";
import { parseEnv } from "../config/parse-env.js";

/**
 * `npm run backports`'s (and the bench's) LLM variables, under the one empty-value rule.
 * @throws ConfigError naming each bad variable and how to fix it.
 */
export function loadBackportsCliConfig(env: Record<string, string | undefined>): {
  llm: BackportsLlmConfig;
  python: string;
} {
  return {
    llm: parseEnv(backportsLlmConfigSchema, env),
    python: parseEnv(backportsWorkerConfigSchema.pick({ BACKPORTS_PYTHON: true }), env)
      .BACKPORTS_PYTHON,
  };
}

/**
 * The scheduled triage's variables (the persona worker's process).
 * @throws ConfigError naming each bad variable and how to fix it.
 */
export function loadBackportsWorkerConfig(
  env: Record<string, string | undefined>,
): BackportsWorkerConfig {
  return parseEnv(backportsWorkerConfigSchema, env);
}
