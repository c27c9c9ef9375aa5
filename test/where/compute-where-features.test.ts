import { describe, expect, it } from "vitest";
import { buildWhereRows } from "../../src/where/build-where-rows.js";
import { computeWhereFeatures } from "../../src/where/compute-where-features.js";
import { summariseReviewerHistory } from "../../src/where/summarise-reviewer-history.js";
import type { WhereHistory } from "../../src/where/where-history.js";
import { makeHunk, makeWhereHistory } from "./support/make-where-history.js";

const emptySummary = summariseReviewerHistory({
  history: { pulls: [], comments: [] },
  before: "2024-01-01T00:00:00Z",
});

describe("computeWhereFeatures: hunk shape, path and pull request", () => {
  const hunks = [
    makeHunk({ path: "src/core/engine.c", adds: 5, dels: 2, context: 3 }),
    makeHunk({ path: "src/core/engine.c", indexInFile: 1, adds: 1, context: 0 }),
    makeHunk({ path: "src/core/engine.c", indexInFile: 2, adds: 0, dels: 2 }),
    makeHunk({ path: "test/engine.test.ts", adds: 2, start: 0 }),
  ];
  hunks[3] = {
    ...(hunks[3] ?? makeHunk({ path: "x", adds: 0 })),
    oldStart: 0,
    lines: (hunks[3]?.lines ?? []).filter((line) => line.kind === "add"),
  };
  const features = computeWhereFeatures({ hunks, summary: emptySummary });

  it.each([
    [0, "shape:adds", Math.log1p(5)],
    [0, "shape:dels", Math.log1p(2)],
    [0, "shape:context", Math.log1p(3)],
    [0, "shape:only_adds", 0],
    [1, "shape:only_adds", 1],
    [2, "shape:only_dels", 1],
    [0, "shape:first_in_file", 1],
    [1, "shape:first_in_file", 0],
    [1, "shape:position_in_file", 0.5],
    [2, "shape:position_in_file", 1],
    [0, "shape:hunks_in_file", Math.log1p(3)],
    [0, "shape:pull_share", 7 / 12],
    [0, "shape:file_share", 10 / 12],
    [3, "shape:new_file", 1],
    [0, "shape:new_file", 0],
    [0, "ext:c", 1],
    [3, "ext:ts", 1],
    [0, "dir:src", 1],
    [0, "dir:src/core", 1],
    [3, "path:test", 1],
    [0, "path:test", 0],
    [0, "path:depth", 2],
    [0, "pr:changed", Math.log1p(12)],
    [0, "pr:files", Math.log1p(2)],
    [0, "pr:hunks", Math.log1p(4)],
  ])("hunk %i: %s = %f", (index, name, value) => {
    expect(features[index]?.[name] ?? 0).toBeCloseTo(value, 12);
  });

  it("adds the LLM's P(comment) only where one is given", () => {
    const withLlm = computeWhereFeatures({
      hunks,
      summary: emptySummary,
      llmScores: [0.7, undefined],
    });
    expect(withLlm[0]?.["llm:p"]).toBe(0.7);
    expect(withLlm[1]).not.toHaveProperty("llm:p");
    expect(features[0]).not.toHaveProperty("llm:p");
  });
});

describe("history features", () => {
  it("count the reviewer's earlier comments and hunks on the file, its directory and overall", () => {
    const history = makeWhereHistory({ pulls: 6 });
    const target = makeHunk({ path: "src/core/engine.c", adds: 3 });
    const summary = summariseReviewerHistory({ history, before: "2030-01-01T00:00:00Z" });
    const [features] = computeWhereFeatures({ hunks: [target], summary });
    const onFile = history.comments.filter(
      (comment) => comment.path === "src/core/engine.c",
    ).length;
    expect(onFile).toBeGreaterThan(0);
    expect(features?.["hist:file_comments"]).toBeCloseTo(Math.log1p(onFile), 12);
    expect(features?.["hist:file_hunks"]).toBeCloseTo(Math.log1p(12), 12);
    expect(features?.["hist:pulls"]).toBeCloseTo(Math.log1p(6), 12);
    expect(features?.["hist:file_seen"]).toBe(1);
    const [unseen] = computeWhereFeatures({
      hunks: [makeHunk({ path: "new/place.c", adds: 3 })],
      summary,
    });
    expect(unseen?.["hist:file_seen"]).toBe(0);
    expect(unseen?.["hist:file_rate"]).toBeCloseTo(unseen?.["hist:rate"] ?? -1, 12);
  });
});

describe("no feature reads the future", () => {
  const history = makeWhereHistory({ pulls: 12 });
  const rowsOf = (source: WhereHistory, number: number) =>
    buildWhereRows({
      history: source,
      pulls: source.pulls.filter((pull) => pull.number === number),
    });
  const target = history.pulls[6];
  if (!target) throw new Error("the history has no 7th pull request");

  it("leaves an earlier pull request's features unchanged when later comments and pull requests appear", () => {
    const before = rowsOf(history, target.number);
    const later = new Date(Date.parse(target.createdAt) + 3_600_000).toISOString();
    const future: WhereHistory = {
      // a later comment on an older pull request's hunk, and a whole later pull request
      pulls: [
        ...history.pulls.map((pull) =>
          pull.number === 101
            ? {
                ...pull,
                hunks: pull.hunks.map((hunk) => ({
                  ...hunk,
                  commentTimes: [...hunk.commentTimes, later],
                })),
              }
            : pull,
        ),
        {
          number: 999,
          createdAt: later,
          hunks: [
            { hunk: makeHunk({ path: "src/core/engine.c", adds: 9 }), commentTimes: [later] },
          ],
        },
      ],
      comments: [
        ...history.comments,
        { pullNumber: 101, path: "src/core/engine.c", createdAt: later },
        { pullNumber: 999, path: "src/core/engine.c", createdAt: later },
        // a comment on the pull request itself (its label, never its feature)
        { pullNumber: target.number, path: "src/core/engine.c", createdAt: target.createdAt },
      ],
    };
    expect(rowsOf(future, target.number).map((row) => row.features)).toEqual(
      before.map((row) => row.features),
    );
  });

  it("does change them when the same comment was made before the pull request (so the check can fail)", () => {
    const before = rowsOf(history, target.number);
    const earlier = new Date(Date.parse(target.createdAt) - 3_600_000).toISOString();
    const past: WhereHistory = {
      ...history,
      comments: [
        ...history.comments,
        { pullNumber: 101, path: "src/core/engine.c", createdAt: earlier },
      ],
    };
    expect(rowsOf(past, target.number).map((row) => row.features)).not.toEqual(
      before.map((row) => row.features),
    );
  });

  it("labels training rows only with comments made before the fold's boundary", () => {
    const boundary = target.createdAt;
    const older = history.pulls[5];
    if (!older) throw new Error("no 6th pull request");
    const late = new Date(Date.parse(boundary) + 1000).toISOString();
    const changed: WhereHistory = {
      ...history,
      pulls: history.pulls.map((pull) =>
        pull.number === older.number
          ? { ...pull, hunks: pull.hunks.map((hunk) => ({ ...hunk, commentTimes: [late] })) }
          : pull,
      ),
    };
    const changedOlder = changed.pulls.find((pull) => pull.number === older.number);
    if (!changedOlder) throw new Error("lost the 6th pull request");
    const rows = buildWhereRows({
      history: changed,
      pulls: [changedOlder],
      labelsBefore: boundary,
    });
    expect(rows.map((row) => row.label)).toEqual(older.hunks.map(() => 0));
    expect(rows.every((row) => !row.commentedPull)).toBe(true);
    const allTime = buildWhereRows({ history: changed, pulls: [changedOlder] });
    expect(allTime.map((row) => row.label)).toEqual(older.hunks.map(() => 1));
  });
});

describe("the LLM's P(comment) in the rows (bench:where --llm)", () => {
  it("fills llm:p of each hunk from its pull request's scores, only where one is given", () => {
    const history = makeWhereHistory({ pulls: 3 });
    const [first, second] = history.pulls;
    if (!first || !second) throw new Error("no pull requests");
    const llmScores = new Map([
      [first.number, first.hunks.map((_, index) => (index === 1 ? undefined : index / 10))],
    ]);
    const rows = buildWhereRows({ history, pulls: [first, second], llmScores });
    const firstRows = rows.filter((row) => row.pull === first.number);
    expect(firstRows.map((row) => row.features["llm:p"])).toEqual(
      first.hunks.map((_, index) => (index === 1 ? undefined : index / 10)),
    );
    expect(
      rows.filter((row) => row.pull === second.number).every((row) => !("llm:p" in row.features)),
    ).toBe(true);
    expect(buildWhereRows({ history, pulls: [first] }).some((row) => "llm:p" in row.features)).toBe(
      false,
    );
  });
});
