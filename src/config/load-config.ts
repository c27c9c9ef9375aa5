import { authConfigSchema } from "../auth/auth-config.js";
import { historyConfigSchema } from "../history/history-config.js";
import { observeConfigSchema } from "../observe/observe-config.js";
import { reviewConfigSchema } from "../review/review-config.js";
import { trainConfigSchema } from "../train/train-config.js";
import { ConfigError, describeEnvIssues } from "./config-error.js";
import { coreConfigSchema } from "./core-config.js";
import { withEmbeddedLlmDefaults } from "./embedded-llm.js";
import { withoutEmptyValues } from "./without-empty-values.js";

/** Every variable of our own; Probot's (APP_ID, PRIVATE_KEY, …) are Probot's to read. */
export const configSchema = coreConfigSchema
  .extend(authConfigSchema.shape)
  .extend(historyConfigSchema.shape)
  .extend(trainConfigSchema.shape)
  .extend(observeConfigSchema.shape)
  // Last: BASE_MODEL_NAME is in both train and review schemas, with the same meaning and default.
  .extend(reviewConfigSchema.shape);

export type Config = ReturnType<typeof configSchema.parse>;

/**
 * Reads and validates our environment variables once, at start-up.
 * @throws ConfigError naming each bad variable and how to fix it.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty value in .env means "not set", so the default applies.
  const result = configSchema.safeParse(withEmbeddedLlmDefaults(withoutEmptyValues(env)));
  if (!result.success) throw new ConfigError(describeEnvIssues(result.error, "the environment"));
  return Object.freeze(result.data);
}
