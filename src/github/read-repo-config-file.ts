import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { type GitHubClient, statusOf } from "./github-client.js";

/** Where a repository configures the bot, relative to its root. */
export const REPO_CONFIG_PATH = ".github/tech-lead-bot.yml";

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

/** A `.github/tech-lead-bot.yml` that cannot be used; the message says what to fix. */
export class RepoConfigFileError extends Error {
  override name = "RepoConfigFileError";
}

/**
 * Reads and validates `.github/tech-lead-bot.yml` from the default branch (404 → defaults).
 * @throws RepoConfigFileError naming the file and the bad key when it is not valid YAML or not the schema.
 */
export async function readRepoConfigFile(params: {
  octokit: GitHubClient;
  owner: string;
  repo: string;
}): Promise<RepoAccessConfig> {
  let text: string;
  try {
    const { data } = await params.octokit.request("GET /repos/{owner}/{repo}/contents/{path}", {
      owner: params.owner,
      repo: params.repo,
      path: REPO_CONFIG_PATH,
    });
    if (Array.isArray(data) || data.type !== "file" || !("content" in data)) {
      throw new RepoConfigFileError(`${REPO_CONFIG_PATH} is not a file`);
    }
    text = Buffer.from(data.content, "base64").toString("utf8");
  } catch (error) {
    if (statusOf(error) === 404) return repoAccessConfigSchema.parse({});
    throw error;
  }
  let content: unknown;
  try {
    content = parseYaml(text) ?? {};
  } catch (error) {
    throw new RepoConfigFileError(
      `${REPO_CONFIG_PATH} is not valid YAML: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  const result = repoAccessConfigSchema.safeParse(content);
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `\`${issue.path.join(".") || "(file)"}\`: ${issue.message}`,
    );
    throw new RepoConfigFileError(`${REPO_CONFIG_PATH} is not valid: ${problems.join("; ")}`);
  }
  return result.data;
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
