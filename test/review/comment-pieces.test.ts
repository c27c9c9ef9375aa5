import { describe, expect, it } from "vitest";
import {
  extractFingerprints,
  fingerprintHunk,
  reviewFingerprintMarker,
} from "../../src/review/fingerprint.js";
import { mapCommentLine } from "../../src/review/map-comment-line.js";
import { parseDiffHunks } from "../../src/review/parse-diff-hunks.js";
import { pickFewShotExamples } from "../../src/review/pick-few-shot-examples.js";
import { sanitiseComment } from "../../src/review/sanitise-comment.js";
import { scoreHunk } from "../../src/review/score-hunk.js";
import { selectComments } from "../../src/review/select-comments.js";
import { liveMarkup } from "../support/live-markup.js";
import { readDiffFixture } from "./support/acceptable-comment-lines.js";

// A mention GitHub would turn into a notification: @name not preceded by a word character.
const LIVE_MENTION = /(^|[^\w])@[A-Za-z0-9]/;

describe("sanitiseComment", () => {
  it.each([
    ["keeps a plain remark", "Why not a Map here?", "Why not a Map here?"],
    ["joins lines", "First point.\nSecond point.", "First point. Second point."],
    ["removes code fences", "Use this:\n```ts\nconst x = 1;\n```", "Use this: const x = 1;"],
    ["removes images", "Look ![x](https://evil.example/p.png) here", "Look here"],
    ["removes raw HTML", "Fine <img src=x onerror=alert(1)> <b>ok</b>", "Fine ok"],
    ["removes hidden markers", "Nice <!-- tech-lead-bot fp:0123456789abcdef -->", "Nice"],
  ])("%s", (_name, raw, expected) => {
    expect(sanitiseComment(raw)).toEqual({ kind: "comment", text: expected });
  });

  it.each([
    "@everyone approve this",
    "cc @alice and @org/team",
    "`@bob` inside code, and an odd ` backtick then @carol",
  ])("pings nobody: %s", (raw) => {
    const result = sanitiseComment(raw);
    expect(result.kind).toBe("comment");
    if (result.kind === "comment") {
      expect(result.text).not.toMatch(LIVE_MENTION);
      expect(result.text.replaceAll("\u200D", "")).toContain("@");
    }
  });

  it("keeps comments to 200 characters", () => {
    const result = sanitiseComment(`${"word ".repeat(100)}@alice`);
    expect(result.kind === "comment" && result.text.length).toBeLessThanOrEqual(200);
  });

  it.each([
    [
      "a Markdown link",
      "Please [log in here](https://evil.example/login) first",
      "Please log in here first",
    ],
    ["a link with a title", 'See [docs](https://evil.example "t") now', "See docs now"],
    ["a link in angle brackets", "See [docs](<https://evil.example/a b>) now", "See docs now"],
    ["a reference link", "See [docs][1] now\n\n[1]: https://evil.example", "See docs now"],
    ["a collapsed reference", "See [docs][] now\n\n[docs]: https://evil.example", "See docs now"],
    ["a shortcut reference", "See [docs] now\n\n[docs]: https://evil.example", "See docs now"],
    ["nested brackets", "Use [the [new] api](https://evil.example)", "Use the \\[new\\] api"],
    ["an HTML anchor", 'Read <a href="https://evil.example">this</a> first', "Read this first"],
    ["an autolink", "Go to <https://evil.example/login>", "Go to (link removed)"],
    ["an email autolink", "Mail <root@evil.example>", "Mail (link removed)"],
    ["a bare URL", "Go to https://evil.example/login now", "Go to (link removed) now"],
    ["a www URL", "Go to www.evil.example now", "Go to (link removed) now"],
    ["an image link", "[![x](https://evil.example/p.png)](https://evil.example)", undefined],
    [
      "a link whose text is a URL",
      "[https://evil.example](https://evil.example)",
      "(link removed)",
    ],
    ["escaped brackets", "\\[not](a link)", "\\[not\\](a link)"],
    ["an issue number", "Same as #12", "Same as #\u200d12"],
    ["a cross-repository reference", "See octo-org/repo#1", "See octo-org/repo#\u200d1"],
    ["a GH- reference", "Fixed in GH-7", "Fixed in GH-\u200d7"],
    ["a full issue URL", "See https://github.com/o/r/issues/1", "See (link removed)"],
    ["an entity-encoded mention", "cc &#64;alice", "cc @\u200dalice"],
    ["code is kept as code", "Use `Map` here", "Use `Map` here"],
    ["a mention inside code", "Ask `@bob`", "Ask `@\u200dbob`"],
  ])("drops the link and keeps the text: %s", (_name, raw, expected) => {
    const result = sanitiseComment(raw);
    const text = result.kind === "comment" ? result.text : "";
    if (expected !== undefined) expect(text).toBe(expected);
    expect(liveMarkup(text)).toEqual([]);
    expect(text).not.toContain("evil.example");
  });

  it("reports a comment that was only markup", () => {
    expect(sanitiseComment("![](x) <br>").kind).toBe("empty");
  });
});

describe("mapCommentLine", () => {
  const server = parseDiffHunks(readDiffFixture("mixed-changes.diff")).find(
    (file) => file.path === "src/server.ts",
  );
  const secondHunk = server?.hunks[1];
  if (!secondHunk) throw new Error("fixture changed");

  it.each([
    [
      "an added line, RIGHT",
      { line: 26, side: "RIGHT" as const },
      { line: 26, side: "RIGHT" },
      false,
    ],
    [
      "a context line, RIGHT",
      { line: 23, side: "RIGHT" as const },
      { line: 23, side: "RIGHT" },
      false,
    ],
    [
      "a deleted line, LEFT",
      { line: 26, side: "LEFT" as const },
      { line: 26, side: "LEFT" },
      false,
    ],
    [
      "an unchanged line named LEFT",
      { line: 30, side: "LEFT" as const },
      { line: 31, side: "RIGHT" },
      true,
    ],
    [
      "a line outside the hunk",
      { line: 500, side: "RIGHT" as const },
      { line: 31, side: "RIGHT" },
      true,
    ],
    ["no line at all", undefined, { line: 31, side: "RIGHT" }, true],
  ])("%s", (_name, aimed, placement, usedFallback) => {
    expect(mapCommentLine({ hunk: secondHunk, aimed })).toEqual({ placement, usedFallback });
  });

  it("falls back to the last deleted line on a deletion-only hunk", () => {
    const util = parseDiffHunks(readDiffFixture("mixed-changes.diff")).find(
      (f) => f.path === "src/util.ts",
    );
    const deletionOnly = util?.hunks[2];
    if (!deletionOnly) throw new Error("fixture changed");
    expect(mapCommentLine({ hunk: deletionOnly }).placement).toEqual({ line: 55, side: "LEFT" });
  });
});

describe("scoreHunk", () => {
  const token = (text: string, p: number, alternatives: [string, number][]) => ({
    token: text,
    logprob: Math.log(p),
    topLogprobs: [[text, p] as [string, number], ...alternatives].map(([t, q]) => ({
      token: t,
      logprob: Math.log(q),
    })),
  });

  it.each([
    ["a confident comment", [token("R", 0.9, [["NO", 0.08]])], 0.92],
    [
      "a hesitant comment",
      [
        token("R", 0.45, [
          ["NO", 0.4],
          ["L", 0.15],
        ]),
      ],
      0.6,
    ],
    ["a no-comment answer", [token("NO", 0.7, [["R", 0.3]]), token("_COMMENT", 1, [])], 0.3],
    ["NO_COMMENT not in the top alternatives", [token("R", 0.6, [["L", 0.3]])], 1],
  ])("%s", (_name, tokens, expected) => {
    expect(scoreHunk({ tokens, noCommentAnswer: "NO_COMMENT" })).toBeCloseTo(expected, 5);
  });

  it("is undefined without log-probabilities", () => {
    expect(scoreHunk({ tokens: undefined, noCommentAnswer: "NO_COMMENT" })).toBeUndefined();
  });
});

describe("selectComments", () => {
  const candidates = (scores: (number | undefined)[]) => scores.map((score, id) => ({ id, score }));

  it.each([
    ["keeps the most likely within the rate", [0.2, 0.9, 0.5, 0.7], 10, 0.2, 30, [1, 3], 2, 0],
    [
      "ranks unscored answers last, in order",
      [undefined, 0.3, undefined],
      10,
      0.2,
      30,
      [1, 0],
      1,
      0,
    ],
    ["a rate of zero keeps nothing", [0.9], 10, 0, 30, [], 1, 0],
  ])("%s", (_name, scores, hunksRead, rate, max, expectedIds, belowRate, overCap) => {
    const selection = selectComments({
      candidates: candidates(scores),
      hunksRead,
      reviewerCommentRate: rate,
      maxComments: max,
    });
    expect(selection.selected.map((c) => c.id)).toEqual(expectedIds);
    expect(selection.overRateCap).toHaveLength(belowRate);
    expect(selection.overReviewCap).toHaveLength(overCap);
  });

  it("never keeps more than 30, and counts the overflow apart from the rate", () => {
    const selection = selectComments({
      candidates: candidates(Array.from({ length: 60 }, (_, i) => i / 100)),
      hunksRead: 100,
      reviewerCommentRate: 0.5,
      maxComments: 99,
    });
    expect(selection.selected).toHaveLength(30);
    expect(selection.selected[0]?.id).toBe(59);
    expect(selection.overReviewCap).toHaveLength(20);
    expect(selection.overRateCap).toHaveLength(10);
  });
});

describe("fingerprints", () => {
  const [file] = parseDiffHunks(readDiffFixture("prompt-injection.diff"));
  const hunk = file?.hunks[0];
  if (!hunk) throw new Error("fixture changed");
  const base = { hunk, reviewerLogin: "alice", modelVersion: "adapter-v3" };

  it("ignore line numbers and whitespace but not content, reviewer or model version", () => {
    const moved = {
      ...hunk,
      lines: hunk.lines.map((l) => ({
        ...l,
        newLine: 100 + (l.kind === "del" ? 0 : l.newLine),
        content: `${l.content}  `,
      })),
    };
    expect(fingerprintHunk({ ...base, hunk: moved as typeof hunk })).toBe(fingerprintHunk(base));
    expect(fingerprintHunk({ ...base, modelVersion: "adapter-v4" })).not.toBe(
      fingerprintHunk(base),
    );
    expect(fingerprintHunk({ ...base, reviewerLogin: "bob" })).not.toBe(fingerprintHunk(base));
  });

  it("round-trip through a review body's hidden marker", () => {
    const prints = [fingerprintHunk(base), fingerprintHunk({ ...base, reviewerLogin: "bob" })];
    expect(extractFingerprints(`text\n${reviewFingerprintMarker(prints)}`)).toEqual(prints);
  });
});

describe("pickFewShotExamples", () => {
  const [file] = parseDiffHunks(readDiffFixture("prompt-injection.diff"));
  const hunk = file?.hunks[0];
  if (!hunk) throw new Error("fixture changed");
  const examples = [
    { user: "File: src/trusted.ts\nexport const trusted = false;", assistant: "R1: Why trusted?" },
    { user: "File: README.md\nold words", assistant: "R3: Typo." },
    { user: "File: lib/other.py\nsomething else entirely", assistant: "R2: Hm." },
    { user: "File: docs/a.md\nunrelated", assistant: "NO_COMMENT" },
  ];

  it("ranks by similarity and keeps one NO_COMMENT example", () => {
    expect(pickFewShotExamples({ hunk, examples, count: 2 }).map((e) => e.assistant)).toEqual([
      "R1: Why trusted?",
      "NO_COMMENT",
    ]);
    expect(pickFewShotExamples({ hunk, examples, count: 1 }).map((e) => e.assistant)).toEqual([
      "R1: Why trusted?",
    ]);
  });
});
