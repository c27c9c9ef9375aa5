import { z } from "zod";
import { REPO_CONFIG_PATH, RepoConfigFileError } from "./read-repo-config-file.js";

/*
 * The one schema of `.github/tech-lead-bot.yml` (release-drafter's lib/schema.js is the model):
 * every section the bot reads, and one error format. Each reader parses only its own section,
 * so a mistake in `feed:` never stops a review.
 */

/**
 * The keys of `.github/tech-lead-bot.yml` the intake reads; other sections (`review:`, owned by
 * the review stage) pass through untouched.
 *
 * ```yaml
 * enabled: false          # no persona reviews in this repository at all
 * personas:
 *   deny: [alice, bob]    # nobody can request a review in these people's style
 * ```
 */
export const repoAccessConfigSchema = z
  .object({
    enabled: z.boolean({ error: "`enabled` must be true or false" }).default(true),
    personas: z
      .object({
        deny: z
          .array(z.string().min(1), { error: "`personas.deny` must be a list of GitHub logins" })
          .default([]),
      })
      .passthrough()
      .default({ deny: [] }),
  })
  .passthrough();

export type RepoAccessConfig = z.infer<typeof repoAccessConfigSchema>;

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
    // Which threshold of the reviewer's where-model decides where the persona speaks.
    where: z
      .enum(["balanced", "quiet"], {
        error:
          "review.where must be balanced (the where-model's best F1) or quiet (precision ≥ 0.6 in its cross-validation)",
      })
      .default("balanced"),
  })
  .strict();

export type RepoReviewConfig = z.infer<typeof repoReviewConfigSchema>;

/**
 * The `feedback:` section of `.github/tech-lead-bot.yml`:
 *
 * ```yaml
 * feedback:
 *   suppress: false     # post candidates even if they resemble down-voted or ignored comments
 *   precedents: false   # no "(as on PR 123)" suffix
 * ```
 */
export const feedbackRepoConfigSchema = z
  .object({
    suppress: z.boolean({ error: "feedback.suppress must be true or false" }).default(true),
    precedents: z.boolean({ error: "feedback.precedents must be true or false" }).default(true),
  })
  .strict();
export type FeedbackRepoConfig = z.infer<typeof feedbackRepoConfigSchema>;

/**
 * The `feed:` section of `.github/tech-lead-bot.yml`. Off unless the repository turns it on:
 *
 * ```yaml
 * feed:
 *   enabled: true              # summarise pushes to the default branch
 *   branches: [release, next]  # and to these branches too
 * ```
 */
export const feedConfigSchema = z
  .object({
    enabled: z.boolean({ error: "`feed.enabled` must be true or false" }).default(false),
    branches: z
      .array(z.string().min(1), { error: "`feed.branches` must be a list of branch names" })
      .default([]),
  })
  .default({ enabled: false, branches: [] });

export type FeedConfig = z.infer<typeof feedConfigSchema>;

/** The whole file: every section optional, unknown keys kept (Probot's `_extends` and so on). */
export const repoConfigFileSchema = repoAccessConfigSchema.extend({
  review: repoReviewConfigSchema.optional(),
  feedback: feedbackRepoConfigSchema.optional(),
  feed: feedConfigSchema,
});

/**
 * The one error formatter: validates the sections `shape` names (from the schema above) in
 * `content` (Probot's config loader's answer: an object, or null when there is no file).
 * @throws RepoConfigFileError naming each bad key, for the status comment or the reply.
 */
function parseSections<Shape extends z.ZodRawShape>(content: unknown, shape: Shape) {
  const result = z
    .object(shape)
    .passthrough()
    .safeParse(content ?? {});
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `- \`${issue.path.join(".") || "(file)"}\`: ${issue.message}`,
    );
    throw new RepoConfigFileError(
      `${REPO_CONFIG_PATH} is not valid; fix these keys and comment again:\n${problems.join("\n")}`,
    );
  }
  return result.data;
}

/** The intake's view of the file: whether persona reviews are on, and who is denied. */
export function parseRepoAccessConfig(content: unknown): RepoAccessConfig {
  return parseSections(content, repoAccessConfigSchema.shape);
}

/** The review stage's section, with defaults. */
export function parseRepoReviewConfig(content: unknown): RepoReviewConfig {
  const { review } = parseSections(content, { review: repoConfigFileSchema.shape.review });
  return review ?? repoReviewConfigSchema.parse({});
}

/** The feedback section, with defaults. */
export function parseFeedbackRepoConfig(content: unknown): FeedbackRepoConfig {
  const { feedback } = parseSections(content, { feedback: repoConfigFileSchema.shape.feedback });
  return feedback ?? feedbackRepoConfigSchema.parse({});
}

/** The feed's section, with defaults. */
export function parseFeedConfig(content: unknown): FeedConfig {
  return parseSections(content, { feed: repoConfigFileSchema.shape.feed }).feed;
}

/** Why the repository's config refuses a review in `reviewerLogin`'s style, if it does. */
export function personaRefusal(
  config: RepoAccessConfig,
  reviewerLogin: string,
): string | undefined {
  if (!config.enabled)
    return `persona reviews are turned off in this repository (\`enabled: false\` in ${REPO_CONFIG_PATH})`;
  const denied = config.personas.deny.some(
    (login) => login.replace(/^@/, "").toLowerCase() === reviewerLogin.toLowerCase(),
  );
  if (denied)
    return `this repository does not allow reviews in \`${reviewerLogin}\`'s style (\`personas.deny\` in ${REPO_CONFIG_PATH})`;
  return undefined;
}
