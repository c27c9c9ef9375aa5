import type { z } from "zod";
import { ConfigError, describeEnvIssues } from "./config-error.js";

/**
 * The environment without empty values. The one rule for every process (server, workers,
 * training worker, `npm run eval`, `npm run feedback`): `NAME=` in .env means "not set", so the
 * default applies.
 */
export function withoutEmptyValues(
  env: Record<string, string | undefined>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== "",
    ),
  );
}

/**
 * Parses `env` with a room's schema under the one empty-value rule; the entry points' loaders
 * (src/start/load-*-config.ts) all go through here.
 * @throws ConfigError naming each bad variable and how to fix it.
 */
export function parseEnv<Schema extends z.ZodType>(
  schema: Schema,
  env: Record<string, string | undefined>,
  source = "the environment",
): z.output<Schema> {
  const result = schema.safeParse(withoutEmptyValues(env));
  if (!result.success) throw new ConfigError(describeEnvIssues(result.error, source));
  return result.data;
}
