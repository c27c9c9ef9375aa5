import { z } from "zod";
import { REPO_CONFIG_PATH, RepoConfigFileError } from "../github/read-repo-config-file.js";
import { whereModeSchema } from "../where/where-model.js";

export { REPO_CONFIG_PATH };

/**
 * The `review:` section of `.github/tech-lead-bot.yml`. Everything is optional; the values can
 * only narrow what the operator allows (e.g. `max_comments` never exceeds 30).
 *
 * ```yaml
 * review:
 *   ignore: ["docs/**", "**\/*.snap"]   # added to the built-in lock/vendor/generated globs
 *   max_comments: 10
 *   max_hunks: 300
 *   where: quiet                        # balanced (default) or quiet: fewer, surer comments
 * ```
 */
export const repoReviewConfigSchema = z
  .object({
    ignore: z
      .array(z.string().min(1, { error: "an ignore glob cannot be empty" }), {
        error: 'review.ignore must be a list of glob patterns, e.g. ["docs/**"]',
      })
      .max(200, { error: "review.ignore has more than 200 globs; merge some with ** patterns" })
      .default([]),
    max_comments: z
      .number({ error: "review.max_comments must be a number from 1 to 30" })
      .int()
      .min(1)
      .max(30, { error: "review.max_comments cannot exceed 30 (GitHub abuse limits)" })
      .optional(),
    max_hunks: z
      .number({ error: "review.max_hunks must be a whole number, e.g. 300" })
      .int()
      .positive()
      .optional(),
    where: z
      .enum(whereModeSchema.options, {
        error:
          "review.where must be balanced (the where-model's best F1) or quiet (precision ≥ 0.6 in its cross-validation)",
      })
      .default("balanced"),
  })
  .strict();

export type RepoReviewConfig = z.infer<typeof repoReviewConfigSchema>;

const repoConfigFileSchema = z
  .object({ review: repoReviewConfigSchema.optional() })
  .passthrough()
  .nullable()
  .optional();

/**
 * Validates the parsed `.github/tech-lead-bot.yml` (as Probot's config loader returns it: an
 * object, or null when the file is missing) and returns its review section with defaults.
 * Throws {@link RepoConfigFileError} naming each bad key, for the status comment.
 */
export function parseRepoReviewConfig(fileContent: unknown): RepoReviewConfig {
  const result = repoConfigFileSchema.safeParse(fileContent);
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `- \`${issue.path.join(".") || "(file)"}\`: ${issue.message}`,
    );
    throw new RepoConfigFileError(
      `${REPO_CONFIG_PATH} is not valid; fix these keys and comment again:\n${problems.join("\n")}`,
    );
  }
  return result.data?.review ?? repoReviewConfigSchema.parse({});
}
