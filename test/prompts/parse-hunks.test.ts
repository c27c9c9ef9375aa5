import { readFileSync } from "node:fs";
import parseDiff from "parse-diff";
import { describe, expect, it } from "vitest";
import { hunkFromParseDiffChunk } from "../../src/prompts/hunk-from-parse-diff-chunk.js";
import { parsePatchHunks, parseSingleHunk } from "../../src/prompts/parse-hunks.js";

const gitDiff = readFileSync(
  new URL("../fixtures/diffs/no-newline-at-eof.diff", import.meta.url),
  "utf8",
);
// A GET /pulls/{n}/files patch is the diff without its four file-header lines.
const filePatch = gitDiff.split("\n").slice(4).join("\n");

describe("parsePatchHunks", () => {
  it("numbers old and new lines from the header and drops the no-newline marker", () => {
    const [hunk] = parsePatchHunks(filePatch);
    expect(hunk?.header).toBe("@@ -1,6 +1,6 @@");
    expect(hunk?.lines).toEqual([
      { kind: "context", oldLine: 1, newLine: 1, content: "function total(items) {" },
      { kind: "context", oldLine: 2, newLine: 2, content: "  let sum = 0;" },
      { kind: "del", oldLine: 3, content: "  for (const i of items) sum += i.price;" },
      { kind: "add", newLine: 3, content: "  for (const item of items) sum += item.price;" },
      { kind: "context", oldLine: 4, newLine: 4, content: "  return sum;" },
      { kind: "context", oldLine: 5, newLine: 5, content: "}" },
      { kind: "del", oldLine: 6, content: "export { total };" },
      { kind: "add", newLine: 6, content: "export { total };" },
    ]);
  });

  it("agrees with parse-diff on a real git diff", () => {
    const [file] = parseDiff(gitDiff);
    const fromParseDiff = file?.chunks.map(hunkFromParseDiffChunk);
    expect(parsePatchHunks(filePatch)).toEqual(fromParseDiff);
  });

  it("splits a patch with several hunks", () => {
    const patch = "@@ -1,2 +1,2 @@\n a\n-b\n+c\n@@ -40 +40,2 @@ fn()\n x\n+y";
    const hunks = parsePatchHunks(patch);
    expect(hunks.map((h) => [h.header, h.oldStart, h.newStart, h.lines.length])).toEqual([
      ["@@ -1,2 +1,2 @@", 1, 1, 3],
      ["@@ -40 +40,2 @@ fn()", 40, 40, 2],
    ]);
    expect(hunks[1]?.lines[1]).toEqual({ kind: "add", newLine: 41, content: "y" });
  });

  it.each([
    ["a whole file diff", gitDiff],
    ["plain text", "hello"],
  ])("rejects %s", (_name, text) => {
    expect(() => parsePatchHunks(text)).toThrow(/hunk header/);
  });

  it("parseSingleHunk rejects more than one hunk", () => {
    expect(() => parseSingleHunk("@@ -1 +1 @@\n a\n@@ -5 +5 @@\n b")).toThrow(/exactly one/);
  });
});
