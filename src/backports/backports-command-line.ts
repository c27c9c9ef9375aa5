import type { ParseArgsConfig } from "node:util";
import { type CommandLine, parseCommandLine } from "../shared/parse-command-line.js";
import { BackportInputError } from "./backport-input-error.js";

/** The repository options both backports commands read the same way. */
export interface BackportsRepoArgs {
  gitDir: string;
  dev: string;
  since?: string;
  repoName?: string;
}

/** A backports command line, with a reader for the options both commands take. */
export interface BackportsCommandLine extends CommandLine {
  /**
   * --git-dir and --dev (each a usage error when absent, in that order), --since and --repo when
   * given. `gitDirExample` is the --git-dir the error suggests.
   */
  repoArgs(gitDirExample: string): BackportsRepoArgs;
}

/**
 * Parses a backports command line (`npm run backports`, `npm run backports:export`): the options
 * both commands take (--git-dir, --dev, --since, --repo, --out, -h/--help) and the command's
 * own; values trimmed, mistakes reported as BackportInputError.
 */
export function parseBackportsCommandLine(
  argv: readonly string[],
  options: NonNullable<ParseArgsConfig["options"]>,
): BackportsCommandLine {
  const line = parseCommandLine({
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
  const repoArgs = (gitDirExample: string): BackportsRepoArgs => {
    const since = line.text("since");
    const repoName = line.text("repo");
    return {
      gitDir: line.required("git-dir", gitDirExample),
      dev: line.required("dev", "main"),
      ...(since ? { since } : {}),
      ...(repoName ? { repoName } : {}),
    };
  };
  return { ...line, repoArgs };
}
