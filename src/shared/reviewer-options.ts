import { githubLoginSchema } from "../../jobs/github-names.js";
import { type CommandLine, parseCommandLine } from "./parse-command-line.js";

/**
 * Parses the command line of a command about one reviewer in one repository (`npm run eval`,
 * `feedback`): --repo, --reviewer and -h/--help, with the command's own options and usage error.
 */
export function parseReviewerCommandLine(
  argv: readonly string[],
  usageError: Parameters<typeof parseCommandLine>[0]["usageError"],
  options: Parameters<typeof parseCommandLine>[0]["options"],
): CommandLine {
  return parseCommandLine({
    argv,
    usageError,
    options: {
      repo: { type: "string" },
      reviewer: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
      ...options,
    },
  });
}

const REPO = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/;

type Repo = { owner: string; name: string };

/**
 * Reads `--repo owner/name` and `--reviewer login`. Each must be well formed
 * when given, and given when `required`; otherwise the command's usage error says which.
 */
export function readReviewerOptions(
  line: CommandLine,
  required: true,
): { repo: Repo; reviewerLogin: string };
export function readReviewerOptions(
  line: CommandLine,
  required: boolean,
): { repo?: Repo; reviewerLogin?: string };
export function readReviewerOptions(
  line: CommandLine,
  required: boolean,
): { repo?: Repo; reviewerLogin?: string } {
  const repoText = line.text("repo");
  const match = REPO.exec(repoText ?? "");
  const repo = match?.[1] && match[2] ? { owner: match[1], name: match[2] } : undefined;
  if ((repoText !== undefined || required) && !repo) {
    line.fail("--repo must be owner/name, e.g. --repo acme/shop");
  }
  const reviewerLogin = line.text("reviewer");
  if (
    (reviewerLogin !== undefined || required) &&
    !githubLoginSchema.safeParse(reviewerLogin ?? "").success
  ) {
    line.fail("--reviewer must be a GitHub login, e.g. --reviewer alice");
  }
  return { ...(repo ? { repo } : {}), ...(reviewerLogin ? { reviewerLogin } : {}) };
}
