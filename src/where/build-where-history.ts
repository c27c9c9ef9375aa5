import type { CleanComment } from "../history/clean-comments.js";
import { commentTouchesHunk } from "../history/fetch-negative-hunks.js";
import type { PullFiles, RawReviewComment, ReviewedPull } from "../history/history-records.js";
import { rebuildFileDiff } from "../review/fetch-pull-diff.js";
import { type Hunk, parseDiffHunks } from "../review/parse-diff-hunks.js";
import type { WhereHistory, WherePull } from "./where-history.js";

/** Every hunk of a pull request's files, parsed as the review parses a diff rebuilt from them. */
export function hunksOfPullFiles(pullFiles: PullFiles): Hunk[] {
  const diffText = pullFiles.files
    .flatMap((file) =>
      file.patch === undefined ? [] : [rebuildFileDiff({ ...file, patch: file.patch })],
    )
    .join("");
  return parseDiffHunks(diffText).flatMap((file) => file.hunks);
}

/**
 * The where-model's view of a collected history: every pull request with a kept file listing
 * that the reviewer did not write, every hunk of it labelled with the reviewer's kept comments
 * inside it (same path, a current or original line within the hunk: how bench:fidelity labels
 * held-out hunks), plus all their kept comments on other people's pull requests. Pure.
 */
export function buildWhereHistory(params: {
  reviewerLogin: string;
  pulls: readonly ReviewedPull[];
  pullFiles: readonly PullFiles[];
  rawComments: readonly RawReviewComment[];
  kept: readonly CleanComment[];
}): WhereHistory {
  const login = params.reviewerLogin.toLowerCase();
  const ownPull = new Set(
    params.pulls
      .filter((pull) => pull.authorLogin?.toLowerCase() === login)
      .map((pull) => pull.number),
  );
  const pullsByNumber = new Map(params.pulls.map((pull) => [pull.number, pull]));
  const rawById = new Map(params.rawComments.map((comment) => [comment.id, comment]));
  const kept = params.kept.filter((comment) => !ownPull.has(comment.pullNumber));
  const keptByPull = new Map<number, { clean: CleanComment; raw: RawReviewComment }[]>();
  for (const clean of kept) {
    const raw = rawById.get(clean.id);
    if (!raw) continue;
    const list = keptByPull.get(clean.pullNumber) ?? [];
    list.push({ clean, raw });
    keptByPull.set(clean.pullNumber, list);
  }
  const pulls: WherePull[] = [];
  for (const files of params.pullFiles) {
    const pull = pullsByNumber.get(files.pullNumber);
    if (!pull || ownPull.has(pull.number)) continue;
    const comments = keptByPull.get(pull.number) ?? [];
    pulls.push({
      number: pull.number,
      createdAt: pull.createdAt,
      hunks: hunksOfPullFiles(files).map((hunk) => ({
        hunk,
        commentTimes: comments
          .filter(({ clean, raw }) => clean.path === hunk.path && commentTouchesHunk(raw, hunk))
          .map(({ clean }) => clean.createdAt)
          .sort(),
      })),
    });
  }
  pulls.sort(
    (left, right) => left.createdAt.localeCompare(right.createdAt) || left.number - right.number,
  );
  return {
    pulls,
    comments: kept.map((comment) => ({
      pullNumber: comment.pullNumber,
      path: comment.path,
      createdAt: comment.createdAt,
    })),
  };
}
