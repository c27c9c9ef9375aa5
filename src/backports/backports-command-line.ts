import type { ParseArgsConfig } from "node:util";
import { type CommandLine, parseCommandLine } from "../shared/parse-command-line.js";
import { BackportInputError } from "./backport-input-error.js";

/**
 * Parses a backports command line (`npm run backports`, `npm run backports:export`): the options
 * both commands take (--git-dir, --dev, --since, --repo, --out, -h/--help) and the command's
 * own; values trimmed, mistakes reported as BackportInputError.
 */
export function parseBackportsCommandLine(
  argv: readonly string[],
  options: NonNullable<ParseArgsConfig["options"]>,
): CommandLine {
  return parseCommandLine({
    argv,
    usageError: BackportInputError,
    trim: true,
    options: {
      "git-dir": { type: "string" },
      dev: { type: "string" },
      since: { type: "string" },
      repo: { type: "string" },
      out: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
      ...options,
    },
  });
}
