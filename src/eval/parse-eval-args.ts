import { parseReviewerCommandLine, readReviewerOptions } from "../shared/reviewer-options.js";

/** The command line of `npm run eval`, printed by --help and on a usage error. */
export const EVAL_USAGE = `Usage: npm run eval -- --repo <owner/name> --reviewer <login> [options]
       npm run eval -- --predictions <pairs.jsonl> [--name <name>] [--out <dir>]

Scores the reviewer's adapter, the base model with few-shot examples and the base model alone
(zero-shot) on the reviewer's holdout hunks, with the review's own prompts, LLM calls and
selection, then python -m trainer score; writes <out>/<reviewer>-<YYYY-MM-DD>.md, .json and .svg.
With --predictions it scores a file of predictions instead (no LLM endpoint needed).

  --repo <owner/name>     repository the history was collected in (required with an LLM)
  --reviewer <login>      whose voice is evaluated (required with an LLM)
  --model <name>          the adapter's vLLM model name, e.g. acme-shop-alice-v3; without it the
                          adapter column reads "no adapter"
  --holdout <file>        holdout.jsonl as the history stage writes it (one
                          {"messages":[system,user,assistant]} per line); without it the holdout,
                          the few-shot examples and the comment rate come from Redis (REDIS_URL,
                          QUEUE_PREFIX) while the collected history has not expired
  --train <file>          train.jsonl to take few-shot examples from (with --holdout); without it
                          the few-shot column is not run
  --comment-rate <rate>   the reviewer's comments per hunk, 0 to 1: every system keeps at most
                          ceil(rate × holdout hunks) comments (default: the history's statistics
                          in Redis; required with --holdout unless --budget is given)
  --budget <n>            comments every system may keep over the whole holdout, instead of a rate
  --predictions <file>    score this file instead of asking an LLM: one JSON object per line in
                          the pairs format of trainer/README.md, optionally with "system" (a
                          column per system) and "budget" (that system's comment budget)
  --name <name>           with --predictions: the report's name (default: the file's name)
  --out <dir>             folder for the report (default: eval)
  --date <YYYY-MM-DD>     date in the report's name (default: today, UTC)
  -h, --help              print this text

Environment: LLM_BASE_URL (empty or unset: the embedded CPU vLLM, http://127.0.0.1:8000/v1), LLM_API_KEY, BASE_MODEL_NAME, LLM_CONCURRENCY,
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
  /** Required unless `predictionsPath` is given. */
  repo?: { owner: string; name: string };
  /** Required unless `predictionsPath` is given. */
  reviewerLogin?: string;
  adapterName?: string;
  holdoutPath?: string;
  trainPath?: string;
  commentRate?: number;
  commentBudget?: number;
  predictionsPath?: string;
  name?: string;
  outputDir: string;
  date?: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$/;

/**
 * Parses `npm run eval` arguments.
 *
 * @throws UsageError saying which option is missing or wrong.
 */
export function parseEvalArgs(argv: readonly string[]): EvalArgs {
  const line = parseReviewerCommandLine(argv, UsageError, {
    model: { type: "string" },
    holdout: { type: "string" },
    train: { type: "string" },
    "comment-rate": { type: "string" },
    budget: { type: "string" },
    predictions: { type: "string" },
    name: { type: "string" },
    out: { type: "string", default: "eval" },
    date: { type: "string" },
  });
  const { values, text } = line;
  if (values.help === true) return { help: true, outputDir: "eval" };
  const predictionsPath = text("predictions");
  const { repo, reviewerLogin } = readReviewerOptions(line, !predictionsPath);
  const date = text("date");
  if (date !== undefined && !DATE.test(date)) {
    throw new UsageError(`--date must look like 2026-05-01, got "${date}"`);
  }
  const name = text("name");
  if (name !== undefined && !NAME.test(name)) {
    throw new UsageError(`--name must be letters, digits, "-", "_" or ".", got "${name}"`);
  }
  const common = {
    help: false,
    outputDir: text("out") ?? "eval",
    ...(date ? { date } : {}),
    ...(repo ? { repo } : {}),
    ...(reviewerLogin ? { reviewerLogin } : {}),
  };
  if (predictionsPath) {
    const llmOnly = ["model", "holdout", "train", "comment-rate", "budget"].filter(text);
    if (llmOnly.length > 0) {
      throw new UsageError(
        `--predictions scores a file of predictions; ${llmOnly.map((option) => `--${option}`).join(", ")} only go with an LLM run`,
      );
    }
    return { ...common, predictionsPath, ...(name ? { name } : {}) };
  }
  if (name) throw new UsageError("--name only goes with --predictions");
  const rateText = text("comment-rate");
  const commentRate = rateText === undefined ? undefined : Number(rateText);
  if (commentRate !== undefined && !(commentRate >= 0 && commentRate <= 1)) {
    throw new UsageError(`--comment-rate must be a number from 0 to 1, got "${rateText}"`);
  }
  const budgetText = text("budget");
  const commentBudget = budgetText === undefined ? undefined : Number(budgetText);
  if (commentBudget !== undefined && !(Number.isInteger(commentBudget) && commentBudget >= 0)) {
    throw new UsageError(`--budget must be a whole number of comments, got "${budgetText}"`);
  }
  if (commentRate !== undefined && commentBudget !== undefined) {
    throw new UsageError("give --comment-rate or --budget, not both");
  }
  if (text("train") && !text("holdout")) {
    throw new UsageError(
      "--train only goes with --holdout; without --holdout both come from Redis",
    );
  }
  if (text("holdout") && commentRate === undefined && commentBudget === undefined) {
    throw new UsageError(
      "with --holdout, say how many comments each system may keep: --comment-rate <rate> (the reviewer's comments per hunk) or --budget <n> (comments over the holdout); a silent default would cap recall",
    );
  }
  const optional = {
    adapterName: text("model"),
    holdoutPath: text("holdout"),
    trainPath: text("train"),
    commentRate,
    commentBudget,
  };
  return {
    ...common,
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
  };
}
