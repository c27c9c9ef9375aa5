import { describe, expect, it } from "vitest";
import { filterFiles } from "../../src/review/filter-files.js";
import { commentableLines } from "../../src/review/map-comment-line.js";
import { parseDiffHunks } from "../../src/review/parse-diff-hunks.js";
import { splitOversizedHunks } from "../../src/review/split-oversized-hunks.js";
import { acceptableCommentLines, readDiffFixture } from "./support/acceptable-comment-lines.js";

const mixed = readDiffFixture("mixed-changes.diff");

describe("parseDiffHunks on a real git diff", () => {
  const files = parseDiffHunks(mixed);
  const byPath = (path: string) => files.find((file) => file.path === path);

  it.each([
    ["src/after.ts", "renamed", "src/before.ts", 1],
    ["src/new-name.ts", "renamed", "src/old-name.ts", 0],
    ["src/feature.ts", "added", "src/feature.ts", 1],
    ["lib/obsolete.js", "deleted", "lib/obsolete.js", 1],
    ["src/server.ts", "modified", "src/server.ts", 2],
    ["src/util.ts", "modified", "src/util.ts", 3],
  ])("%s is %s from %s with %i hunks", (path, status, oldPath, hunkCount) => {
    expect(byPath(path)).toMatchObject({ status, oldPath });
    expect(byPath(path)?.hunks).toHaveLength(hunkCount);
  });

  it("marks the binary file and drops `\\ No newline` pseudo-lines", () => {
    expect(byPath("docs/logo.png")).toMatchObject({ binary: true, hunks: [] });
    const contents = files.flatMap((f) => f.hunks.flatMap((h) => h.lines.map((l) => l.content)));
    expect(contents.some((content) => content.includes("No newline"))).toBe(false);
    expect(byPath("docs/tail.txt")?.hunks[0]?.lines.at(-1)).toEqual({
      kind: "add",
      newLine: 3,
      content: "gamma, now without newline",
    });
  });

  it("agrees with an independent reading of the diff on every commentable line", () => {
    expect([...commentableLines(files)].sort()).toEqual([...acceptableCommentLines(mixed)].sort());
  });
});

describe("filterFiles", () => {
  it("skips binary, deleted, pure renames, lock, vendored and generated files, plus repo globs", () => {
    const { kept, skipped } = filterFiles({
      files: parseDiffHunks(mixed),
      extraIgnoreGlobs: ["docs/**"],
    });
    expect(Object.fromEntries(skipped.map((s) => [s.path, s.reason]))).toEqual({
      "dist/bundle.min.js": "ignored by glob",
      "docs/logo.png": "binary",
      "docs/notes.txt": "ignored by glob",
      "docs/tail.txt": "ignored by glob",
      "lib/obsolete.js": "deleted",
      "package-lock.json": "ignored by glob",
      "src/new-name.ts": "no text change",
      "vendor/leftpad/index.js": "ignored by glob",
    });
    expect(kept.map((file) => file.path)).toEqual([
      "src/after.ts",
      "src/feature.ts",
      "src/server.ts",
      "src/util.ts",
    ]);
  });
});

describe("splitOversizedHunks on a multi-thousand-line diff", () => {
  const [big] = parseDiffHunks(readDiffFixture("multi-thousand-lines.diff"));
  const hunk = big?.hunks[0];
  if (!hunk) throw new Error("fixture has no hunk");

  it("cuts the one 5,000-line hunk into parts under the budget that keep every changed line", () => {
    const parts = splitOversizedHunks({ hunks: [hunk], maxChars: 4000 });
    expect(parts.length).toBeGreaterThan(10);
    for (const part of parts) {
      expect(part.lines.reduce((n, l) => n + l.content.length + 16, 0)).toBeLessThanOrEqual(4000);
      expect(part.note).toMatch(new RegExp(`^Part ${part.part} of ${parts.length} `));
      expect(part.header).toMatch(/^@@ -\d+,\d+ \+\d+,\d+ @@ big line 3/);
    }
    const changed = (lines: typeof hunk.lines) => lines.filter((l) => l.kind !== "context");
    expect(parts.flatMap((p) => changed(p.lines))).toEqual(changed(hunk.lines));
  });

  it("trims a single line longer than the budget, with a note", () => {
    const longLine = { kind: "add" as const, newLine: 1, content: "x".repeat(10_000) };
    const [trimmed] = splitOversizedHunks({
      hunks: [{ ...hunk, lines: [longLine] }],
      maxChars: 500,
    });
    expect(trimmed?.lines[0]?.content.length).toBeLessThan(500);
    expect(trimmed?.note).toMatch(/trimmed/);
  });

  it("leaves hunks that fit alone", () => {
    const small = parseDiffHunks(mixed).flatMap((f) => f.hunks);
    expect(splitOversizedHunks({ hunks: small, maxChars: 12_000 })).toEqual(small);
  });
});
