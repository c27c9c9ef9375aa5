import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { cleanComments, stripQuotedLines } from "../../src/history/clean-comments.js";
import { describeTargets, firstLineTarget } from "../../src/history/describe-targets.js";
import { inferSide } from "../../src/history/infer-side.js";
import { readRecordedHistory } from "../../support/history/recorded-repository.js";

const sharedDir = process.env.SHARED_DIR ?? resolve(import.meta.dirname, "../../../shared");
const historyPath = resolve(sharedDir, "data/secp256k1-review-history.jsonl.gz");

describe("training targets on real review history (secp256k1, real-or-random)", () => {
  it("no longer teach a bare 'nit:' or a commit link, and keep the comments", () => {
    const pulls = readRecordedHistory(historyPath);
    const raw = pulls.flatMap((pull) =>
      pull.comments
        .filter((comment) => comment.user === "real-or-random")
        .map((comment) => ({
          id: `PRRC_${comment.id}`,
          databaseId: comment.id,
          pullNumber: pull.number,
          body: comment.body,
          diffHunk: comment.diff_hunk,
          path: comment.path,
          line: comment.line,
          originalLine: comment.original_line,
          startLine: comment.start_line,
          originalStartLine: comment.original_start_line,
          side: inferSide(comment.diff_hunk),
          createdAt: comment.created_at,
          commitOid: comment.commit_id,
          originalCommitOid: comment.original_commit_id,
          outdated: comment.line === null,
          replyToId: comment.in_reply_to_id ? `PRRC_${comment.in_reply_to_id}` : null,
          authorLogin: "real-or-random",
          authorIsBot: false,
        })),
    );
    const { kept } = cleanComments({ comments: raw, appBotLogin: "tech-lead-bot[bot]" });
    const before = describeTargets(
      raw
        .filter((comment) => comment.replyToId === null)
        .map((comment) => firstLineTarget(stripQuotedLines(comment.body))),
    );
    const after = describeTargets(kept.map((comment) => comment.target));

    // The first-line rule: "nit:" 20 times, "style nit:" 3 times, commit URLs, bare fences.
    expect(before.bareLabel).toBeGreaterThanOrEqual(20);
    expect(before.linkOnly).toBeGreaterThanOrEqual(8);
    expect(after).toMatchObject({ bareLabel: 0, linkOnly: 0, bareFence: 0 });
    // Meaningful targets cost few comments: the dropped ones had nothing to learn.
    expect(after.targets).toBeGreaterThan(before.targets - 20);
    expect(after.distinct).toBeGreaterThan(before.distinct);
  });
});
