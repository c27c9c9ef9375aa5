import { describe, expect, it } from "vitest";
import { findFullHunk } from "../../src/history/find-full-hunk.js";
import { parsePatchHunks, parseSingleHunk } from "../../src/prompts/parse-hunks.js";

const filePatch = "@@ -1,2 +1,3 @@\n a\n-b\n+c\n+d\n@@ -40,2 +41,2 @@ fn()\n x\n-y\n+z";
const fileHunks = parsePatchHunks(filePatch);

describe("findFullHunk", () => {
  it.each([
    ["a comment on the first hunk", "@@ -1,2 +1,3 @@\n a\n-b\n+c", 0],
    ["a comment on the second hunk, whatever its header says", "@@ -40,9 +41,9 @@\n x\n-y", 1],
  ])("finds the whole hunk of %s", (_name, diffHunk, index) => {
    expect(findFullHunk(parseSingleHunk(diffHunk), fileHunks)).toBe(fileHunks[index]);
  });

  it.each([
    ["changed since (outdated)", "@@ -1,2 +1,3 @@\n a\n-b\n+changed"],
    ["moved lines", "@@ -2,2 +2,3 @@\n a\n-b\n+c"],
    ["an empty hunk", "@@ -1 +1 @@"],
  ])("finds nothing for %s", (_name, diffHunk) => {
    expect(findFullHunk(parseSingleHunk(diffHunk), fileHunks)).toBeUndefined();
  });
});
