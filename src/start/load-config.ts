import { authConfigSchema } from "../auth/auth-config.js";
import { coreConfigSchema } from "../config/core-config.js";
import { withEmbeddedLlmDefaults } from "../config/embedded-llm.js";
import { parseEnv } from "../config/parse-env.js";
import { githubUrlsConfigSchema } from "../config/resolve-github-urls.js";
import { historyConfigSchema } from "../history/history-config.js";
import { observeConfigSchema } from "../observe/observe-config.js";
import { reviewConfigSchema } from "../review/review-config.js";
import { trainConfigSchema } from "../train/train-config.js";

/** Every variable of our own; Probot's (APP_ID, PRIVATE_KEY, …) are Probot's to read. */
export const configSchema = coreConfigSchema
  .extend(authConfigSchema.shape)
  .extend(historyConfigSchema.shape)
  .extend(trainConfigSchema.shape)
  .extend(observeConfigSchema.shape)
  .extend(githubUrlsConfigSchema.shape)
  // Last: BASE_MODEL_NAME is in both train and review schemas, with the same meaning and default.
  .extend(reviewConfigSchema.shape);

export type Config = ReturnType<typeof configSchema.parse>;

/**
 * Reads and validates the server's and persona worker's variables once, at start-up.
 * @throws ConfigError naming each bad variable and how to fix it.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return Object.freeze(parseEnv(configSchema, withEmbeddedLlmDefaults(env)));
}
