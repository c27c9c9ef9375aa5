/** Where a repository configures the bot, relative to its root. */
export const REPO_CONFIG_PATH = ".github/tech-lead-bot.yml";

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
