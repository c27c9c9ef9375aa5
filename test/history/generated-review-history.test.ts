import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lineTarget } from "../../src/prompts/diff-hunk.js";
import { parsePatchHunks, parseSingleHunk } from "../../src/prompts/parse-hunks.js";
import { parseDiffHunks } from "../../src/review/parse-diff-hunks.js";
import { readRecordedHistory } from "../../support/history/recorded-repository.js";
import { generateReviewHistory, writeReviewHistory } from "../support/generate-review-history.js";

/**
 * The synthetic history stands in for the recorded one in `npm test`, so it must hold what
 * GitHub guarantees of the real one: each comment sits on the last line of its `diff_hunk`, that
 * hunk is a prefix of a hunk of the file's patch, and the hunk headers count their lines.
 */
const history = generateReviewHistory({
  seed: 7,
  pulls: 30,
  reviewers: ["alice", "bob"],
  authors: ["carol", "dave", "alice"],
});

describe("the generated review history", () => {
  it("reads back through the recorded-history reader, gzipped", () => {
    const dir = mkdtempSync(join(tmpdir(), "generated-history-"));
    try {
      const path = join(dir, "history.jsonl.gz");
      writeReviewHistory(path, history);
      const read = readRecordedHistory(path);
      expect(read.map((pull) => pull.number)).toEqual(history.map((pull) => pull.number));
      expect(new Set(read.map((pull) => pull.number)).size).toBe(history.length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("anchors every comment on the last line of its diff_hunk, a prefix of the file's hunk", () => {
    let checked = 0;
    for (const pull of history.filter((candidate) => candidate.files)) {
      for (const comment of pull.comments) {
        const file = pull.files?.find((candidate) => candidate.filename === comment.path);
        if (!file) throw new Error(`PR ${pull.number}: no file ${comment.path}`);
        const hunk = parseSingleHunk(comment.diff_hunk);
        const last = hunk.lines.at(-1);
        if (!last) throw new Error(`PR ${pull.number}: empty diff_hunk`);
        expect(lineTarget(last)).toEqual({ side: comment.side, line: comment.original_line });
        const header = comment.diff_hunk.split("\n")[0] ?? "";
        const fileHunk = file.patch.slice(file.patch.indexOf(header));
        expect(fileHunk.startsWith(comment.diff_hunk)).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(40);
  });

  it("writes hunk headers whose counts match their lines, as git does", () => {
    for (const pull of history) {
      for (const file of pull.files ?? []) {
        for (const hunk of parsePatchHunks(file.patch)) {
          const counts = /^@@ -\d+,(\d+) \+\d+,(\d+) @@/.exec(hunk.header);
          const oldCount = hunk.lines.filter((line) => line.kind !== "add").length;
          const newCount = hunk.lines.filter((line) => line.kind !== "del").length;
          expect([Number(counts?.[1]), Number(counts?.[2])]).toEqual([oldCount, newCount]);
        }
        const diff = `diff --git a/${file.filename} b/${file.filename}\n--- a/${file.filename}\n+++ b/${file.filename}\n${file.patch}\n`;
        expect(parseDiffHunks(diff)[0]?.hunks.length).toBe(file.patch.match(/^@@/gm)?.length);
      }
    }
  });

  it("holds what the history code must handle: replies, outdated comments, unmerged pulls", () => {
    const comments = history.flatMap((pull) => pull.comments);
    expect(comments.some((comment) => comment.in_reply_to_id !== null)).toBe(true);
    expect(comments.some((comment) => comment.line === null)).toBe(true);
    expect(comments.some((comment) => comment.side === "LEFT")).toBe(true);
    expect(history.some((pull) => pull.merged_at === null && pull.files === undefined)).toBe(true);
    expect(history.some((pull) => (pull.files?.length ?? 0) > 1)).toBe(true);
  });

  it("is the same history for the same seed, and another for another", () => {
    const again = generateReviewHistory({
      seed: 7,
      pulls: 30,
      reviewers: ["alice", "bob"],
      authors: ["carol", "dave", "alice"],
    });
    expect(again).toEqual(history);
    const other = generateReviewHistory({
      seed: 8,
      pulls: 30,
      reviewers: ["alice", "bob"],
      authors: ["carol", "dave", "alice"],
    });
    expect(other).not.toEqual(history);
  });
});
