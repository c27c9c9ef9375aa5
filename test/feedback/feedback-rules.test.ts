import { describe, expect, it } from "vitest";
import { didLineChange } from "../../src/feedback/find-changed-line.js";
import { findCrossReferences } from "../../src/feedback/find-cross-references.js";
import { prepareScreeningHistory, screenCandidate } from "../../src/feedback/screen-candidates.js";
import { textSimilarity } from "../../src/feedback/text-similarity.js";
import {
  decideHumanAddressed,
  type HistoryPull,
} from "../../src/history/measure-human-addressed-rate.js";

describe("didLineChange (commented line vs the compare from the comment's commit)", () => {
  const patch = "@@ -10,3 +10,3 @@\n keep\n-old line 11\n+new line 11\n keep";
  it.each([
    {
      what: "the commented line is replaced",
      line: 11,
      files: [{ filename: "a.ts", status: "modified", patch }],
      changed: true,
    },
    {
      what: "a neighbour changed, not the line",
      line: 10,
      files: [{ filename: "a.ts", status: "modified", patch }],
      changed: false,
    },
    {
      what: "the file is untouched",
      line: 11,
      files: [{ filename: "b.ts", status: "modified", patch }],
      changed: false,
    },
    {
      what: "the file was removed",
      line: 11,
      files: [{ filename: "a.ts", status: "removed" }],
      changed: true,
    },
    {
      what: "the patch is missing (binary or huge)",
      line: 11,
      files: [{ filename: "a.ts", status: "modified" }],
      changed: undefined,
    },
    {
      what: "renamed without changes",
      line: 11,
      files: [{ filename: "c.ts", previous_filename: "a.ts", status: "renamed" }],
      changed: false,
    },
  ])("$what → $changed", ({ line, files, changed }) => {
    expect(didLineChange({ files, path: "a.ts", line })).toBe(changed);
  });
});

describe("decideHumanAddressed (real reviewers' comments vs the merged diff)", () => {
  const pull = (patch: string | undefined): HistoryPull => ({
    number: 1,
    user: "author",
    merged_at: "2020-01-01T00:00:00Z",
    comments: [],
    files: [{ filename: "src/a.c", status: "modified", ...(patch ? { patch } : {}) }],
  });
  const comment = (diffHunk: string) => ({
    user: "reviewer",
    in_reply_to_id: null,
    body: "x",
    path: "src/a.c",
    diff_hunk: diffHunk,
  });
  it.each([
    {
      what: "added line still added at merge",
      hunk: "@@ -1 +1,2 @@\n ctx\n+int x = 1;",
      final: "@@ -1 +1,2 @@\n ctx\n+int x = 1;",
      verdict: "kept",
    },
    {
      what: "added line rewritten before merge",
      hunk: "@@ -1 +1,2 @@\n ctx\n+int x = 1;",
      final: "@@ -1 +1,2 @@\n ctx\n+int x = 2;",
      verdict: "addressed",
    },
    {
      what: "context line later changed",
      hunk: "@@ -1,2 +1,2 @@\n+new\n return value;",
      final: "@@ -1 +1 @@\n-return value;\n+return other;",
      verdict: "addressed",
    },
    {
      what: "context line left alone",
      hunk: "@@ -1,2 +1,2 @@\n+new\n return value;",
      final: "@@ -5 +5 @@\n-foo();\n+bar();",
      verdict: "kept",
    },
    {
      what: "deleted line restored",
      hunk: "@@ -1,2 +1 @@\n ctx\n-free(ptr);",
      final: "@@ -5 +5 @@\n-foo();\n+bar();",
      verdict: "addressed",
    },
    {
      what: "a line too short to find again",
      hunk: "@@ -1 +1,2 @@\n ctx\n+}",
      final: "@@ -1 +1 @@\n-x\n+y",
      verdict: "undecidable",
    },
    {
      what: "no patch (binary / huge)",
      hunk: "@@ -1 +1,2 @@\n ctx\n+int x = 1;",
      final: undefined,
      verdict: "undecidable",
    },
  ])("$what → $verdict", ({ hunk, final, verdict }) => {
    expect(decideHumanAddressed({ pull: pull(final), comment: comment(hunk) })).toBe(verdict);
  });
  it("cannot decide on a PR that was not merged", () => {
    const closed = { ...pull("@@ -1 +1 @@\n-a\n+b"), merged_at: null };
    expect(
      decideHumanAddressed({ pull: closed, comment: comment("@@ -1 +1,2 @@\n ctx\n+int x;") }),
    ).toBe("undecidable");
  });
});

describe("findCrossReferences (GitHub's autolink rule)", () => {
  it.each([
    ["see #123", ["#123"]],
    ["see GH-7", ["GH-7"]],
    ["see octo/repo#9", ["octo/repo#9"]],
    ["[PR 1](https://github.com/o/r/pull/1#discussion_r2)", ["https://github.com/o/r/pull/1"]],
    ["https://github.com/o/r/issues/5", ["https://github.com/o/r/issues/5"]],
    ["[PR 1](https://redirect.github.com/o/r/pull/1#discussion_r2)", []],
    ["in code `#123` and `o/r#4`", []],
    ["a heading anchor #discussion_r12 is not a reference", []],
  ])("%s", (markdown, found) => {
    expect(findCrossReferences(markdown)).toEqual(found);
  });
});

describe("textSimilarity", () => {
  it("is 1 for the same words, 0 for none shared, and ignores case and punctuation", () => {
    expect(textSimilarity("Add a test.", "add a TEST")).toBeCloseTo(1);
    expect(textSimilarity("Add a test.", "Rename this variable")).toBe(0);
    expect(
      textSimilarity("Please add a unit test here", "Add a unit test for this"),
    ).toBeGreaterThan(0.3);
  });
});

describe("screenCandidate", () => {
  const history = (negatives: string[], positives: string[]) =>
    prepareScreeningHistory({ negatives, positives, precedents: [] });
  const testRemark = "Please add a unit test for this function.";
  it("holds back what resembles two or more down-voted or ignored comments", () => {
    const screening = screenCandidate({
      text: testRemark,
      history: history(["Add a unit test for this function.", "Please add a unit test here."], []),
    });
    expect(screening).toMatchObject({ holdBack: true, similarNegatives: 2 });
  });
  it("keeps it when as many addressed comments resemble it, and ranks it higher", () => {
    const screening = screenCandidate({
      text: testRemark,
      history: history(
        ["Add a unit test for this function.", "Please add a unit test here."],
        [
          "Please add a unit test for this function, it is new.",
          "A unit test for this function, please.",
        ],
      ),
    });
    expect(screening.holdBack).toBe(false);
    expect(screening.preference).toBeGreaterThan(0);
  });
  it("keeps an unrelated remark and gives it no preference", () => {
    const screening = screenCandidate({
      text: "This lock is never released on the error path.",
      history: history(["Add a unit test for this function.", "Please add a unit test here."], []),
    });
    expect(screening).toMatchObject({ holdBack: false, similarNegatives: 0, preference: 0 });
  });
});
