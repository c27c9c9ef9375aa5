import { z } from "zod";
import { REPO_CONFIG_PATH, RepoConfigFileError } from "../github/read-repo-config-file.js";

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
    feed: z
      .object({
        enabled: z.boolean({ error: "`feed.enabled` must be true or false" }).default(false),
        branches: z
          .array(z.string().min(1), { error: "`feed.branches` must be a list of branch names" })
          .default([]),
      })
      .default({ enabled: false, branches: [] }),
  })
  .passthrough();

export type FeedConfig = z.infer<typeof feedConfigSchema>["feed"];

/**
 * The feed's view of the repository config file's content.
 * @throws RepoConfigFileError naming each bad key.
 */
export function parseFeedConfig(content: unknown): FeedConfig {
  const result = feedConfigSchema.safeParse(content ?? {});
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `\`${issue.path.join(".") || "(file)"}\`: ${issue.message}`,
    );
    throw new RepoConfigFileError(`${REPO_CONFIG_PATH} is not valid: ${problems.join("; ")}`);
  }
  return result.data.feed;
}

/** Whether a push to `branch` belongs in the feed. */
export function isFeedBranch(params: {
  config: FeedConfig;
  branch: string;
  defaultBranch: string;
}): boolean {
  if (!params.config.enabled) return false;
  return params.branch === params.defaultBranch || params.config.branches.includes(params.branch);
}
