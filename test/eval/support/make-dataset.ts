import { readFile } from "node:fs/promises";
import { buildDataset, toJsonl } from "../../../src/history/build-dataset.js";
import type { CleanComment } from "../../../src/history/clean-comments.js";
import type { HistoryResult } from "../../../src/history/collect-history.js";
import { lineTarget } from "../../../src/prompts/diff-hunk.js";
import { loadPrompts } from "../../../src/prompts/load-prompts.js";
import { changedLines, type Hunk, parseDiffHunks } from "../../../src/review/parse-diff-hunks.js";

export const SUBJECT = { owner: "acme", repo: "shop", reviewerLogin: "alice" } as const;
export const REPO_FULL_NAME = `${SUBJECT.owner}/${SUBJECT.repo}`;

/** Things a reviewer writes; the stand-in adapter repeats them, the base model does not. */
const REVIEW_REMARKS = [
  "Please add a test for the error path here.",
  "This name hides what it counts; maybe retryCount?",
  "Can we log the port we bind to?",
  "Why keep this around if nothing imports it?",
  "Prefer a guard clause over the nested if.",
  "This should be behind the feature flag.",
  "Magic number: move it into a named constant.",
  "Is the trailing newline change intended?",
];

/** The real hunks of `test/fixtures/diffs/<name>.diff` (a real `git diff`). */
export async function hunksOfFixture(name: string): Promise<Hunk[]> {
  const diff = await readFile(
    new URL(`../../fixtures/diffs/${name}.diff`, import.meta.url),
    "utf8",
  );
  return parseDiffHunks(diff).flatMap((file) => file.hunks);
}

/** A hunk as the patch text GitHub's `diffHunk` and file `patch` carry. */
export function toPatch(hunk: Hunk): string {
  const marker = { add: "+", del: "-", context: " " } as const;
  return [hunk.header, ...hunk.lines.map((line) => `${marker[line.kind]}${line.content}`)].join(
    "\n",
  );
}

/**
 * A dataset exactly as the history stage writes it (buildDataset → JSONL) from real diff hunks:
 * every other hunk commented by the reviewer on its first changed line, the rest let pass.
 */
export async function makeDatasetJsonl(params: {
  hunks: readonly Hunk[];
  firstPullNumber: number;
  /** What the reviewer says, in turn (default: a few plain remarks). */
  remarks?: readonly string[];
}): Promise<string> {
  const remarks = params.remarks ?? REVIEW_REMARKS;
  const templates = await loadPrompts();
  const comments: CleanComment[] = [];
  const negatives = [];
  for (const [index, hunk] of params.hunks.entries()) {
    const pullNumber = params.firstPullNumber + index;
    const target = changedLines(hunk)[0];
    if (index % 2 === 0 && target) {
      const { side, line } = lineTarget(target);
      const remark = remarks[(index / 2) % remarks.length] ?? "";
      comments.push({
        id: `c${pullNumber}`,
        pullNumber,
        path: hunk.path,
        diffHunk: toPatch(hunk),
        side,
        line,
        createdAt: `2026-02-${String((index % 27) + 1).padStart(2, "0")}T10:00:00Z`,
        text: remark,
        target: remark,
      });
    } else {
      negatives.push({
        pullNumber,
        totalHunks: 1,
        commentedHunks: 0,
        hunks: [{ path: hunk.path, patch: toPatch(hunk) }],
        fullHunks: [],
      });
    }
  }
  const examples = buildDataset({
    templates,
    subject: SUBJECT,
    comments,
    negatives,
    maxHunkLines: 40,
  });
  return toJsonl(examples);
}

/**
 * What the history stage leaves for an evaluation: the dataset, an empty precedent index and a
 * result whose statistics count `comments` kept comments of as many pull requests (with as many
 * negatives and twice the pull requests in all) and the reviewer's comment rate.
 */
export function evalDatasetFor(params: {
  train: string;
  holdout: string;
  repo: string;
  reviewerLogin: string;
  comments: number;
  commentRatePerHunk: number;
}): { train: string; holdout: string; retrieval: string; result: HistoryResult } {
  const lines = (jsonl: string) => jsonl.split("\n").filter(Boolean).length;
  return {
    train: params.train,
    holdout: params.holdout,
    retrieval: JSON.stringify({ format: 1, builtAt: "2026-05-01T00:00:00Z", precedents: [] }),
    result: {
      runId: "run-1",
      trainable: true,
      minimumComments: 1,
      stats: {
        repo: params.repo,
        reviewerLogin: params.reviewerLogin,
        collectedAt: "2026-05-01T00:00:00Z",
        rawComments: params.comments,
        comments: params.comments,
        dropped: {},
        pulls: 2 * params.comments,
        pullsWithComments: params.comments,
        negatives: params.comments,
        commentsWithFullHunk: 0,
        trainExamples: lines(params.train),
        holdoutExamples: lines(params.holdout),
        commentRatePerHunk: params.commentRatePerHunk,
        medianCommentChars: 40,
        medianTargetChars: 40,
        dateRange: null,
        requests: { graphql: 1, rest: 1 },
      },
    },
  };
}
