import { runGit } from "./run-git.js";

/**
 * The web address of a repository from its remote URL (https or scp-like ssh), without `.git`:
 * `git@github.com:acme/shop.git` → `https://github.com/acme/shop`. Undefined for anything else.
 */
export function webUrlFromRemote(remote: string): string | undefined {
  const trimmed = remote.trim();
  const scp = /^[\w.-]+@([\w.-]+):([\w./-]+?)(?:\.git)?\/?$/.exec(trimmed);
  if (scp) return `https://${scp[1]}/${scp[2]}`;
  const url =
    /^(?:https?|ssh|git):\/\/(?:[^@/]+@)?([\w.-]+)(?::\d+)?\/([\w./-]+?)(?:\.git)?\/?$/.exec(
      trimmed,
    );
  if (url) return `https://${url[1]}/${url[2]}`;
  return undefined;
}

/** The web address of `origin`, if the repository has one that looks like a forge. */
export async function findWebUrl(repoDir: string): Promise<string | undefined> {
  const { stdout, exitCode } = await runGit({
    repoDir,
    args: ["config", "--get", "remote.origin.url"],
    okExitCodes: [1],
  });
  return exitCode === 0 ? webUrlFromRemote(stdout) : undefined;
}
