import { z } from "zod";
import { REPO_CONFIG_PATH, RepoConfigFileError } from "../github/read-repo-config-file.js";

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

const fileSchema = z
  .object({ feedback: feedbackRepoConfigSchema.optional() })
  .passthrough()
  .nullable()
  .optional();

/** The feedback section of the parsed repository config, with defaults. */
export function parseFeedbackRepoConfig(fileContent: unknown): FeedbackRepoConfig {
  const result = fileSchema.safeParse(fileContent);
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `- \`${issue.path.join(".") || "(file)"}\`: ${issue.message}`,
    );
    throw new RepoConfigFileError(
      `${REPO_CONFIG_PATH} is not valid; fix these keys and comment again:\n${problems.join("\n")}`,
    );
  }
  return result.data?.feedback ?? feedbackRepoConfigSchema.parse({});
}
