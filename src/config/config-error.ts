import type { ZodError } from "zod";

/** A configuration problem that stops start-up; the message names each variable and its fix. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Turns zod issues over an env object into one message, one line per variable. */
export function describeEnvIssues(error: ZodError, source: string): string {
  const lines = error.issues.map((issue) => {
    const variable = issue.path.join(".") || "(environment)";
    return `  - ${variable}: ${issue.message}`;
  });
  return [
    `Invalid configuration in ${source}:`,
    ...lines,
    "See .env.example for every variable and its default.",
  ].join("\n");
}
