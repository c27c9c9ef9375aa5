import { BackportInputError } from "./backport-input-error.js";
import { GitCommandError, type GitRange, revisionRange, runGit } from "./run-git.js";

/** The dev commits a stable branch is judged against, as full commit ids. */
export interface CommitRange {
  /** Exclusive lower end: the merge base of dev and stable, or `--since`. */
  fromSha: string;
  /** Inclusive upper end: the dev branch's tip, or `--until`. */
  toSha: string;
  mergeBaseSha: string;
  /** The merge base's committer date: when the stable branch forked. */
  mergeBaseDate: string;
  stableSha: string;
}

/**
 * Checks that `repoDir` is a full (not shallow) git repository and resolves a branch, tag or sha.
 *
 * @throws BackportInputError naming the flag and the fix.
 */
export async function checkRepository(repoDir: string): Promise<void> {
  let answer: string;
  try {
    answer = (await runGit({ repoDir, args: ["rev-parse", "--is-shallow-repository"] })).stdout;
  } catch (error) {
    throw new BackportInputError(
      `--git-dir ${repoDir} is not a git repository (${(error as Error).message}); pass the folder of a clone or its .git folder`,
      { cause: error },
    );
  }
  if (answer.trim() === "true") {
    throw new BackportInputError(
      `--git-dir ${repoDir} is a shallow clone: backports are found by comparing the full history of both branches. Run \`git -C ${repoDir} fetch --unshallow\` first`,
    );
  }
}

/**
 * The full id of `rev` (a local branch, a remote-tracking branch such as origin/x, a tag or a sha).
 *
 * @throws BackportInputError naming `flag` when `rev` names no commit.
 */
export async function resolveRevision(params: {
  repoDir: string;
  rev: string;
  flag: string;
}): Promise<string> {
  const { repoDir, rev, flag } = params;
  if (rev.startsWith("-")) {
    throw new BackportInputError(`${flag} ${rev} is not a branch name (it starts with "-")`);
  }
  for (const candidate of [rev, `refs/remotes/origin/${rev}`]) {
    const { stdout, exitCode } = await runGit({
      repoDir,
      args: ["rev-parse", "--verify", "--quiet", "--end-of-options", `${candidate}^{commit}`],
      okExitCodes: [1],
    });
    if (exitCode === 0) return stdout.trim();
  }
  throw new BackportInputError(
    `${flag} ${rev}: unknown branch or revision in ${repoDir}. \`git -C ${repoDir} branch -a\` lists the branches; fetch a remote branch first`,
  );
}

/**
 * Resolves the range of dev commits to judge for one stable branch: from `since` (default: the
 * merge base of dev and stable) to `until` (default: dev's tip).
 *
 * @throws BackportInputError for an unknown branch, a stable branch that shares no history with
 * dev, or an empty range.
 */
export async function resolveCommitRange(params: {
  repoDir: string;
  dev: string;
  stable: string;
  since?: string | undefined;
  until?: string | undefined;
}): Promise<CommitRange> {
  const { repoDir } = params;
  const devSha = await resolveRevision({ repoDir, rev: params.dev, flag: "--dev" });
  const stableSha = await resolveRevision({ repoDir, rev: params.stable, flag: "--stable" });
  const base = await runGit({ repoDir, args: ["merge-base", devSha, stableSha], okExitCodes: [1] });
  if (base.exitCode === 1) {
    throw new BackportInputError(
      `--stable ${params.stable} has no merge base with --dev ${params.dev}: the branches share no history, so nothing on ${params.dev} can be judged for ${params.stable}. Check the branch names (a stable branch forks from the development branch)`,
    );
  }
  const mergeBaseSha = base.stdout.trim();
  const mergeBaseDate = (
    await runGit({ repoDir, args: ["show", "-s", "--format=%cI", mergeBaseSha] })
  ).stdout.trim();
  const fromSha =
    params.since === undefined
      ? mergeBaseSha
      : await resolveRevision({ repoDir, rev: params.since, flag: "--since" });
  const toSha =
    params.until === undefined
      ? devSha
      : await resolveRevision({ repoDir, rev: params.until, flag: "--until" });
  const count = await countCommits({ repoDir, fromSha, toSha });
  if (count === 0) {
    throw new BackportInputError(
      `the range ${params.since ?? `merge-base(${params.dev}, ${params.stable})`}..${params.until ?? params.dev} holds no non-merge commit: nothing to judge. Pick an older --since (or leave it out) or check --dev`,
    );
  }
  return { fromSha, toSha, mergeBaseSha, mergeBaseDate, stableSha };
}

async function countCommits(params: GitRange): Promise<number> {
  try {
    const { stdout } = await runGit({
      repoDir: params.repoDir,
      args: ["rev-list", "--count", "--no-merges", revisionRange(params)],
    });
    return Number.parseInt(stdout.trim(), 10);
  } catch (error) {
    if (error instanceof GitCommandError) {
      throw new BackportInputError(`cannot list the commits to judge: ${error.message}`, {
        cause: error,
      });
    }
    throw error;
  }
}
