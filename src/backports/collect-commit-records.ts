import type { CommitRecord } from "./commit-record.js";
import { computePatchIds } from "./compute-patch-ids.js";
import { readLandingDates } from "./find-landing-dates.js";
import { findUnresolvedTrailers, matchBackports } from "./match-backports.js";
import { readCommits, readMessages } from "./read-commits.js";
import type { CommitRange } from "./resolve-commit-range.js";
import type { GitRange } from "./run-git.js";

/** Paths kept per commit; a vendored-dependency bump can touch thousands. */
export const MAX_FILES_PER_RECORD = 100;
const MAX_TRAILER_HOPS = 3;
const DAY_MS = 86_400_000;

/**
 * Reads every non-merge dev commit of `range` and labels it from the stable branch: backported
 * when a stable commit since the merge base names it in a cherry-pick trailer (or a similar
 * mechanical note, followed through intermediate copies) or carries the same `git patch-id
 * --stable`. Both sides are dated by landing (the merge that brought a commit into its branch, see
 * findLandingDates), and days_to_backport counts from one landing to the other.
 */
export async function collectCommitRecords(params: {
  repoDir: string;
  repoName: string;
  stableBranch: string;
  range: CommitRange;
  onProgress?: (message: string) => void;
}): Promise<CommitRecord[]> {
  const { repoDir, range } = params;
  const progress = params.onProgress ?? (() => undefined);
  const devRange: GitRange = { repoDir, fromSha: range.fromSha, toSha: range.toSha };
  const stableRange: GitRange = { repoDir, fromSha: range.mergeBaseSha, toSha: range.stableSha };
  const devCommits = await readCommits(devRange);
  progress(`${devCommits.length} dev commits read`);
  const stableCommits = await readCommits(stableRange);
  progress(`${stableCommits.length} stable commits read`);
  const devPatchIds = await computePatchIds(devRange);
  const stablePatchIds = await computePatchIds(stableRange);
  progress("patch ids computed");
  const devLanded = await readLandingDates(devRange);
  const stableLanded = await readLandingDates(stableRange);
  const devShas = new Set(devCommits.map((commit) => commit.sha));
  const messagesOf = new Map<string, string>();
  let pending = stableCommits.map((commit) => commit.message);
  for (let hop = 0; hop < MAX_TRAILER_HOPS && pending.length > 0; hop += 1) {
    const unresolved = findUnresolvedTrailers({ messages: pending, devShas }).filter(
      (sha) => !messagesOf.has(sha),
    );
    const found = await readMessages({ repoDir, shas: unresolved });
    for (const [sha, message] of found) messagesOf.set(sha, message);
    pending = [...found.values()];
  }
  const matches = matchBackports({
    devCommits: devCommits.map((commit) => ({
      sha: commit.sha,
      patchId: devPatchIds.get(commit.sha),
    })),
    stableCommits: stableCommits.map((commit) => ({
      sha: commit.sha,
      commitDate: stableLanded.get(commit.sha) ?? commit.commitDate,
      message: commit.message,
      patchId: stablePatchIds.get(commit.sha),
    })),
    messagesOf,
  });
  progress(`${matches.size} of ${devCommits.length} dev commits found on ${params.stableBranch}`);
  return devCommits.map((commit) => {
    const match = matches.get(commit.sha);
    const landed = devLanded.get(commit.sha) ?? commit.commitDate;
    const days = match
      ? Math.max(0, (Date.parse(match.backportDate) - Date.parse(landed)) / DAY_MS)
      : null;
    return {
      repo: params.repoName,
      stable_branch: params.stableBranch,
      stable_branch_date: range.mergeBaseDate,
      sha: commit.sha,
      author_date: commit.authorDate,
      landed_date: landed,
      author_email: commit.authorEmail,
      subject: commit.subject,
      message: commit.message,
      files_changed: commit.files.slice(0, MAX_FILES_PER_RECORD),
      ...(commit.files.length > MAX_FILES_PER_RECORD ? { files_count: commit.files.length } : {}),
      insertions: commit.insertions,
      deletions: commit.deletions,
      backported: match !== undefined,
      backport_sha: match?.backportSha ?? null,
      days_to_backport: days === null ? null : Math.round(days * 100) / 100,
      backport_via: match?.via ?? null,
    };
  });
}
