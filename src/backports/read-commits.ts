import { GIT_LOG_FORMAT, type GitCommit, parseGitLog } from "./parse-git-log.js";
import { type GitRange, revisionRange, runGit } from "./run-git.js";

/**
 * The non-merge commits of `fromSha..toSha`, oldest first, with their changed files and line
 * counts.
 */
export async function readCommits(params: GitRange): Promise<GitCommit[]> {
  const { stdout } = await runGit({
    repoDir: params.repoDir,
    args: [
      "log",
      "--no-merges",
      "--reverse",
      "--no-renames",
      "--numstat",
      `--format=${GIT_LOG_FORMAT}`,
      revisionRange(params),
      "--",
    ],
  });
  return parseGitLog(stdout);
}

/** The messages of the given commits (those git does not have are left out). */
export async function readMessages(params: {
  repoDir: string;
  shas: string[];
}): Promise<Map<string, string>> {
  const messages = new Map<string, string>();
  if (params.shas.length === 0) return messages;
  // One `git log --no-walk` per batch keeps the argument list short; unknown ids fail the
  // whole batch, so ids are checked first with `cat-file -e`.
  for (const sha of params.shas) {
    const exists = await runGit({
      repoDir: params.repoDir,
      args: ["cat-file", "-e", `${sha}^{commit}`],
      okExitCodes: [1, 128],
    });
    if (exists.exitCode !== 0) continue;
    const { stdout } = await runGit({
      repoDir: params.repoDir,
      args: ["log", "-1", "--no-walk", `--format=${GIT_LOG_FORMAT}`, sha, "--"],
    });
    for (const commit of parseGitLog(stdout)) messages.set(sha, commit.message);
  }
  return messages;
}
