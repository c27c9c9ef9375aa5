import { describe, expect, it } from "vitest";
import {
  cleanComments,
  isContentFree,
  stripQuotedLines,
} from "../../src/history/clean-comments.js";
import { extractTarget, isLinkOnly } from "../../src/history/extract-target.js";
import type { RawReviewComment } from "../../src/history/history-records.js";
import { inferSide } from "../../src/history/infer-side.js";

const hunk = "@@ -10,3 +10,4 @@ fn()\n a\n-b\n+c\n+d";

function rawComment(overrides: Partial<RawReviewComment> = {}): RawReviewComment {
  return {
    id: "C1",
    databaseId: 1,
    pullNumber: 5,
    body: "Why not a Map here?",
    diffHunk: hunk,
    path: "src/a.ts",
    line: 12,
    originalLine: 12,
    startLine: null,
    originalStartLine: null,
    side: "RIGHT",
    createdAt: "2024-01-01T00:00:00Z",
    commitOid: "a".repeat(40),
    originalCommitOid: "a".repeat(40),
    outdated: false,
    replyToId: null,
    authorLogin: "alice",
    authorIsBot: false,
    ...overrides,
  };
}

const clean = (comments: RawReviewComment[]) =>
  cleanComments({ comments, appBotLogin: "tech-lead-bot[bot]" });

describe("cleanComments drops", () => {
  it.each<[string, Partial<RawReviewComment>, string]>([
    ["replies inside threads", { replyToId: "C0" }, "reply"],
    ["comments by bots", { authorLogin: "renovate[bot]", authorIsBot: true }, "bot"],
    ["comments by this app", { authorLogin: "tech-lead-bot[bot]", authorIsBot: true }, "this-app"],
    ["empty comments", { body: "   " }, "empty"],
    ["quotes with nothing else", { body: "> you wrote this\n>and this" }, "empty"],
    ["LGTM", { body: "LGTM!" }, "content-free"],
    ["+1", { body: "+1" }, "content-free"],
    ["emoji only", { body: "👍 🎉" }, "content-free"],
    ["emoji shortcodes", { body: ":+1: :shipit:" }, "content-free"],
    ["punctuation only", { body: "???" }, "content-free"],
    ["comments without a line hunk", { diffHunk: "" }, "no-line"],
    ["a commit link alone", { body: "https://github.com/o/r/pull/8/commits/c6de802" }, "link-only"],
    ["a bare nit:", { body: "nit:" }, "content-free"],
    ["an ACK", { body: "Approach ACK" }, "content-free"],
  ])("%s", (_name, overrides, reason) => {
    const { kept, dropped } = clean([rawComment(overrides)]);
    expect(kept).toEqual([]);
    expect(dropped[reason as keyof typeof dropped]).toBe(1);
  });

  it("double submits (same PR, path, line and text) but keeps the same text elsewhere", () => {
    const { kept, dropped } = clean([
      rawComment({ id: "C1" }),
      rawComment({ id: "C2", createdAt: "2024-01-01T00:00:05Z" }),
      rawComment({ id: "C3", pullNumber: 6 }),
    ]);
    expect(kept.map((comment) => comment.id)).toEqual(["C1", "C3"]);
    expect(dropped.duplicate).toBe(1);
  });
});

describe("cleanComments keeps", () => {
  it("the full text without quoted lines, the line from the hunk and a one-line target", () => {
    const { kept } = clean([
      rawComment({ body: "> old code\nThis leaks the handle. Close it in finally.\nSee #12." }),
    ]);
    expect(kept).toEqual([
      expect.objectContaining({
        text: "This leaks the handle. Close it in finally.\nSee #12.",
        target: "This leaks the handle.",
        side: "RIGHT",
        line: 12,
      }),
    ]);
  });

  it("suggestion blocks as text", () => {
    const body = "Simpler:\n```suggestion\n  return items.length;\n```";
    const [comment] = clean([rawComment({ body })]).kept;
    expect(comment?.text).toBe(body);
    expect(extractTarget("```suggestion\n  return items.length;\n```")).toBe(
      "suggestion: `return items.length;`",
    );
  });

  it("a comment on a deleted line on the LEFT with its old line number", () => {
    const [comment] = clean([
      rawComment({ diffHunk: "@@ -10,3 +10,4 @@\n a\n-b", side: "LEFT" }),
    ]).kept;
    expect([comment?.side, comment?.line]).toEqual(["LEFT", 11]);
  });

  it("words that merely contain content-free ones", () => {
    expect(isContentFree("LGTM, but rename `x` first")).toBe(false);
    expect(isContentFree("ok")).toBe(true);
  });
});

describe("extractTarget", () => {
  it.each([
    ["first sentence", "Use a Map. It is faster.", "Use a Map."],
    ["first line", "Use a Map\nbecause lookups", "Use a Map"],
    [
      "dots inside words",
      "Call foo.bar() here, e.g. in v1.2 style",
      "Call foo.bar() here, e.g. in v1.2 style",
    ],
    ["extra whitespace", "  Too   many\tspaces  ", "Too many spaces"],
  ])("takes the %s", (_name, text, target) => {
    expect(extractTarget(text)).toBe(target);
  });

  it.each([
    [
      "a nit: followed by a suggestion as the suggested change",
      "nit:\n```suggestion\n    return n;\n```",
      "nit: suggestion: `return n;`",
    ],
    [
      "the sentence after a commit link",
      "https://github.com/o/r/pull/8/commits/c6de802\r\n\r\nIs there a reason? Maybe not.",
      "Is there a reason?",
    ],
    ["a code block as inline code", "How about\n```c\nint x = 1;\n```", "How about"],
    ["a fence-first comment as its code", "```c\nint x = 1;\n```\nlike this", "`int x = 1;`"],
  ])("takes the meaningful sentence: %s", (_name, text, target) => {
    expect(extractTarget(text)).toBe(target);
  });

  it("has nothing to learn from a bare label or a link", () => {
    expect(extractTarget("nit:")).toBe("");
    expect(extractTarget("https://github.com/o/r/commit/abc123")).toBe("");
    expect(isLinkOnly("see https://github.com/o/r/commit/abc123")).toBe(true);
    expect(isLinkOnly("this is https://example.com/x")).toBe(false);
  });

  it("cuts long sentences at a word boundary", () => {
    const target = extractTarget(`${"word ".repeat(80)}end`);
    expect(target.length).toBeLessThanOrEqual(200);
    expect(target).toMatch(/word…$/);
  });
});

describe("stripQuotedLines and inferSide", () => {
  it("removes only quoted lines", () => {
    expect(stripQuotedLines("> a\nb\n  > c\nd")).toBe("b\nd");
  });

  it.each([
    ["an added line", "@@ -1 +1,2 @@\n a\n+b", "RIGHT"],
    ["a context line", "@@ -1 +1 @@\n a", "RIGHT"],
    ["a deleted line", "@@ -1,2 +1 @@\n a\n-b", "LEFT"],
    [
      "a deleted line before a no-newline marker",
      "@@ -1,2 +1 @@\n a\n-b\n\\ No newline at end of file",
      "LEFT",
    ],
  ])("infers the side of a comment on %s", (_name, diffHunk, side) => {
    expect(inferSide(diffHunk)).toBe(side);
  });
});
