import { z } from "zod";

function positiveInt(name: string, fallback: number, meaning: string) {
  return z.coerce
    .number({ error: `${name} must be a whole number (${meaning})` })
    .int({ error: `${name} must be a whole number (${meaning})` })
    .positive({ error: `${name} must be at least 1 (${meaning})` })
    .default(fallback)
    .describe(meaning);
}

/** A whole number ≥ 0 where 0 turns something off; `zero` says what (e.g. "0 turns negatives off"). */
function countOrOff(name: string, fallback: number, zero: string, meaning: string) {
  const error = `${name} must be a whole number ≥ 0 (${zero})`;
  return z.coerce
    .number({ error })
    .int({ error })
    .min(0, { error })
    .default(fallback)
    .describe(meaning);
}

/**
 * Environment of the history stage (collecting a reviewer's comments and building the dataset).
 * Parse a `process.env`-shaped object; every variable has a default.
 */
export const historyConfigSchema = z.object({
  HISTORY_TTL_SECONDS: positiveInt(
    "HISTORY_TTL_SECONDS",
    86_400,
    "seconds scraped review comments and hunks may stay in Redis before they expire",
  ),
  MIN_COMMENTS_FOR_TRAINING: positiveInt(
    "MIN_COMMENTS_FOR_TRAINING",
    20,
    "fewest cleaned review comments worth training an adapter on; below it reviews use few-shot examples",
  ),
  NEGATIVES_MAX_PRS: countOrOff(
    "NEGATIVES_MAX_PRS",
    40,
    "0 turns negatives off",
    "how many of the newest reviewed pull requests to fetch uncommented hunks from (one REST request each; 0 turns negatives off)",
  ),
  WHERE_MAX_PRS: countOrOff(
    "WHERE_MAX_PRS",
    300,
    "0 keeps no file listings",
    "how many of the newest reviewed pull requests to keep every hunk of (their file listings, one REST request each, shared with the negatives) for the where-model; 0 keeps none",
  ),
  WHERE_FIT_COMMAND: z
    .string()
    .trim()
    .min(
      1,
      "WHERE_FIT_COMMAND must be a command line, e.g. WHERE_FIT_COMMAND=python3 -m trainer where fit",
    )
    .default("python3 -m trainer where fit")
    .describe(
      "the where-model's fit, run by the persona worker from the repository root (split on spaces, no shell; needs python3 with scikit-learn)",
    ),
  NEGATIVES_MAX_HUNKS_PER_PR: positiveInt(
    "NEGATIVES_MAX_HUNKS_PER_PR",
    6,
    "most uncommented hunks taken from one pull request as 'no comment' examples",
  ),
  HISTORY_HOLDOUT_FRACTION: z.coerce
    .number({ error: "HISTORY_HOLDOUT_FRACTION must be a number between 0 and 0.5, e.g. 0.1" })
    .min(0, { error: "HISTORY_HOLDOUT_FRACTION must be between 0 and 0.5, e.g. 0.1" })
    .max(0.5, { error: "HISTORY_HOLDOUT_FRACTION must be between 0 and 0.5, e.g. 0.1" })
    .default(0.1)
    .describe("share of the newest comments kept apart for evaluation"),
  HISTORY_SEARCH_PAGE_SIZE: z.coerce
    .number({ error: "HISTORY_SEARCH_PAGE_SIZE must be a whole number from 1 to 100" })
    .int({ error: "HISTORY_SEARCH_PAGE_SIZE must be a whole number from 1 to 100" })
    .min(1, { error: "HISTORY_SEARCH_PAGE_SIZE must be a whole number from 1 to 100" })
    .max(100, { error: "HISTORY_SEARCH_PAGE_SIZE must be at most 100 (GitHub's limit)" })
    .default(100)
    .describe(
      "pull requests per GraphQL search page (lower it if GitHub answers 502 timeouts on big pages)",
    ),
  HISTORY_MAX_HUNK_LINES: positiveInt(
    "HISTORY_MAX_HUNK_LINES",
    40,
    "most diff lines of one hunk shown in a training example (longer hunks are cut around the target)",
  ),
  HISTORY_MAX_RATE_LIMIT_RETRIES: positiveInt(
    "HISTORY_MAX_RATE_LIMIT_RETRIES",
    6,
    "how often one GitHub request is retried after rate limits or server errors before the stage fails",
  ),
  HISTORY_MAX_INLINE_WAIT_SECONDS: positiveInt(
    "HISTORY_MAX_INLINE_WAIT_SECONDS",
    120,
    "longest rate-limit wait a worker sleeps through; longer waits end the job with RateLimitDeferral so it can be re-queued to resume from its checkpoint",
  ),
});

export type HistoryConfig = z.infer<typeof historyConfigSchema>;

/** The stage's config with every default, for tests and tools. */
export function defaultHistoryConfig(overrides: Partial<HistoryConfig> = {}): HistoryConfig {
  return { ...historyConfigSchema.parse({}), ...overrides };
}
