import { parseArgs } from "node:util";

/** The command line of `npm run eval`, printed by --help and on a usage error. */
export const EVAL_USAGE = `Usage: npm run eval -- --repo <owner/name> --reviewer <login> [options]

Scores the reviewer's adapter, the base model with few-shot examples and the base model alone
(zero-shot) on the reviewer's holdout hunks, with the review's own prompts, LLM calls and
selection, then python -m trainer score; writes <out>/<reviewer>-<YYYY-MM-DD>.md, .json and .svg.

  --repo <owner/name>     repository the history was collected in (required)
  --reviewer <login>      whose voice is evaluated (required)
  --model <name>          the adapter's vLLM model name, e.g. acme-shop-alice-v3; without it the
                          adapter column reads "no adapter"
  --holdout <file>        holdout.jsonl as the history stage writes it (one
                          {"messages":[system,user,assistant]} per line); without it the holdout,
                          the few-shot examples and the comment rate come from Redis (REDIS_URL,
                          QUEUE_PREFIX) while the collected history has not expired
  --train <file>          train.jsonl to take few-shot examples from (with --holdout); without it
                          the few-shot column is not run
  --comment-rate <rate>   the reviewer's comments per hunk, 0 to 1 (default: the history's
                          statistics in Redis, else 0.2)
  --out <dir>             folder for the report (default: eval)
  --date <YYYY-MM-DD>     date in the report's name (default: today, UTC)
  -h, --help              print this text

Environment: LLM_BASE_URL (default http://127.0.0.1:8000/v1), LLM_API_KEY, BASE_MODEL_NAME, LLM_CONCURRENCY,
LLM_TIMEOUT_MS, LLM_MAX_RETRIES, SCORER_COMMAND (default "python3 -m trainer score"),
REDIS_URL, QUEUE_PREFIX.
`;

/** A command line that cannot run; the entry point prints the message and the usage. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** What `npm run eval` was asked to do. */
export interface EvalArgs {
  help: boolean;
  repo: { owner: string; name: string };
  reviewerLogin: string;
  adapterName?: string;
  holdoutPath?: string;
  trainPath?: string;
  commentRate?: number;
  outputDir: string;
  date?: string;
}

const REPO = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/;
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Parses `npm run eval` arguments.
 *
 * @throws UsageError saying which option is missing or wrong.
 */
export function parseEvalArgs(argv: readonly string[]): EvalArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        repo: { type: "string" },
        reviewer: { type: "string" },
        model: { type: "string" },
        holdout: { type: "string" },
        train: { type: "string" },
        "comment-rate": { type: "string" },
        out: { type: "string", default: "eval" },
        date: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message, { cause: error });
  }
  const text = (name: string) => {
    const value = values[name];
    return typeof value === "string" && value.length > 0 ? value : undefined;
  };
  if (values.help === true) {
    return { help: true, repo: { owner: "", name: "" }, reviewerLogin: "", outputDir: "eval" };
  }
  const repo = REPO.exec(text("repo") ?? "");
  if (!repo?.[1] || !repo[2])
    throw new UsageError("--repo must be owner/name, e.g. --repo acme/shop");
  const reviewerLogin = text("reviewer");
  if (!reviewerLogin || !LOGIN.test(reviewerLogin)) {
    throw new UsageError("--reviewer must be a GitHub login, e.g. --reviewer alice");
  }
  const rateText = text("comment-rate");
  const commentRate = rateText === undefined ? undefined : Number(rateText);
  if (commentRate !== undefined && !(commentRate >= 0 && commentRate <= 1)) {
    throw new UsageError(`--comment-rate must be a number from 0 to 1, got "${rateText}"`);
  }
  const date = text("date");
  if (date !== undefined && !DATE.test(date)) {
    throw new UsageError(`--date must look like 2026-05-01, got "${date}"`);
  }
  if (text("train") && !text("holdout")) {
    throw new UsageError(
      "--train only goes with --holdout; without --holdout both come from Redis",
    );
  }
  const optional = {
    adapterName: text("model"),
    holdoutPath: text("holdout"),
    trainPath: text("train"),
    commentRate,
    date,
  };
  return {
    help: false,
    repo: { owner: repo[1], name: repo[2] },
    reviewerLogin,
    outputDir: text("out") ?? "eval",
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
  };
}
