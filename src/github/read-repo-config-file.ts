import { z } from "zod";

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

/** The part of a Probot Octokit that `@probot/octokit-plugin-config` adds. */
export interface ConfigReadingOctokit {
  config: {
    get(params: { owner: string; repo: string; path: string }): Promise<{ config: unknown }>;
  };
}

/**
 * Reads `.github/tech-lead-bot.yml` with Probot's config loader (`octokit.config.get`, which also
 * honours `_extends` and the owner's `.github` repository): the one reader of the file, for the
 * intake (`enabled`, `personas`) and the review (`review:`). Returns the content unvalidated
 * (`{}` when there is none); each reader validates its own section.
 * @throws RepoConfigFileError when the file cannot be read or is not valid YAML.
 */
export async function readRepoConfigFile(params: {
  octokit: ConfigReadingOctokit;
  owner: string;
  repo: string;
}): Promise<unknown> {
  try {
    const { config } = await params.octokit.config.get({
      owner: params.owner,
      repo: params.repo,
      path: REPO_CONFIG_PATH,
    });
    return config;
  } catch (error) {
    throw new RepoConfigFileError(
      `${REPO_CONFIG_PATH} in ${params.owner}/${params.repo} is not valid YAML or could not be read (${(error as Error).message.split("\n")[0]})`,
      { cause: error },
    );
  }
}

/**
 * The intake's view of the file: whether persona reviews are on, and who is denied.
 * @throws RepoConfigFileError naming each bad key.
 */
export function parseRepoAccessConfig(content: unknown): RepoAccessConfig {
  const result = repoAccessConfigSchema.safeParse(content ?? {});
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
