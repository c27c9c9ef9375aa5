import type { Redis } from "ioredis";
import { parseReviewerCommandLine, readReviewerOptions } from "../shared/reviewer-options.js";
import { type PersonaFigures, readPersonaFigures } from "./read-persona-figures.js";

export const FEEDBACK_USAGE = `Usage: npm run feedback -- --repo <owner/name> --reviewer <login> [--version <label>]

Prints, as JSON, what people did with the comments of a reviewer's persona in a repository:
addressed and resolved rates, 👍/👎, replies, comments per review, ignored — for the adapter
version in use (the newest one that posted, or --version, e.g. v3 or few-shot) and all time.

Environment: REDIS_URL, QUEUE_PREFIX.
`;

/** A command line that cannot run; the entry point prints the message and the usage. */
export class FeedbackUsageError extends Error {
  override name = "FeedbackUsageError";
}

export interface FeedbackArgs {
  help: boolean;
  owner: string;
  repo: string;
  reviewerLogin: string;
  version?: string;
}

export function parseFeedbackArgs(argv: readonly string[]): FeedbackArgs {
  const line = parseReviewerCommandLine(argv, FeedbackUsageError, {
    version: { type: "string" },
  });
  if (line.values.help) return { help: true, owner: "", repo: "", reviewerLogin: "" };
  const { repo, reviewerLogin } = readReviewerOptions(line, true);
  const version = line.text("version");
  return {
    help: false,
    owner: repo.owner,
    repo: repo.name,
    reviewerLogin: reviewerLogin.replace(/^@/, ""),
    ...(version ? { version } : {}),
  };
}

export async function runFeedbackCommand(params: {
  args: FeedbackArgs;
  redis: Redis;
  keyPrefix: string;
}): Promise<PersonaFigures> {
  const { args } = params;
  return readPersonaFigures({
    redis: params.redis,
    keyPrefix: params.keyPrefix,
    owner: args.owner,
    repo: args.repo,
    reviewerLogin: args.reviewerLogin,
    ...(args.version ? { currentVersion: args.version } : {}),
  });
}
