import { BackportInputError } from "./backport-input-error.js";
import { collectCommitRecords } from "./collect-commit-records.js";
import type { CommitRecord } from "./commit-record.js";
import { type CommitRange, resolveCommitRange } from "./resolve-commit-range.js";

/**
 * The records of several stable branches, oldest first: each branch's dev range runs from its
 * merge base with dev to the next branch's merge base (the last one's to `until`, default dev's
 * tip), so every dev commit is labelled against the newest stable branch that existed when it
 * landed. `since` bounds the first range from below.
 */
export async function collectBranchSeries(params: {
  repoDir: string;
  repoName: string;
  dev: string;
  stables: string[];
  since?: string | undefined;
  until?: string | undefined;
  /** Leave out a branch whose range is empty or unreadable instead of failing (history). */
  skipBadBranches?: boolean;
  onProgress: (message: string) => void;
}): Promise<CommitRecord[]> {
  const records: CommitRecord[] = [];
  for (const [index, stable] of params.stables.entries()) {
    const next = params.stables[index + 1];
    const until =
      next === undefined
        ? params.until
        : (await resolveCommitRange({ repoDir: params.repoDir, dev: params.dev, stable: next }))
            .mergeBaseSha;
    let range: CommitRange;
    try {
      range = await resolveCommitRange({
        repoDir: params.repoDir,
        dev: params.dev,
        stable,
        since: index === 0 ? params.since : undefined,
        until,
      });
    } catch (error) {
      if (!(params.skipBadBranches && error instanceof BackportInputError)) throw error;
      params.onProgress(`${stable}: left out of the history (${error.message})`);
      continue;
    }
    params.onProgress(`${stable}: ${range.fromSha.slice(0, 8)}..${range.toSha.slice(0, 8)}`);
    records.push(
      ...(await collectCommitRecords({
        repoDir: params.repoDir,
        repoName: params.repoName,
        stableBranch: stable,
        range,
        onProgress: (message) => params.onProgress(`${stable}: ${message}`),
      })),
    );
  }
  return records;
}
