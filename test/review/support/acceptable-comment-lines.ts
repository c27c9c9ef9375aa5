import { readFileSync } from "node:fs";

/**
 * The set of `path:SIDE:line` GitHub accepts a review comment on, computed from the raw diff text
 * alone with its own tiny reading of the unified-diff format: deliberately NOT parse-diff and not
 * the review stage's line mapping, so it checks them independently.
 */
export function acceptableCommentLines(diffText: string): Set<string> {
  const accepted = new Set<string>();
  let oldPath: string | undefined;
  let path: string | undefined;
  let oldLine = 0;
  let newLine = 0;
  let oldLeft = 0;
  let newLeft = 0;
  for (const row of diffText.split("\n")) {
    const inHunk = oldLeft > 0 || newLeft > 0;
    if (inHunk && path !== undefined) {
      if (row.startsWith("\\")) continue;
      if (row.startsWith("+")) {
        accepted.add(`${path}:RIGHT:${newLine++}`);
        newLeft--;
      } else if (row.startsWith("-")) {
        accepted.add(`${path}:LEFT:${oldLine++}`);
        oldLeft--;
      } else {
        accepted.add(`${path}:RIGHT:${newLine++}`);
        oldLine++;
        oldLeft--;
        newLeft--;
      }
      continue;
    }
    if (row.startsWith("diff --git ")) {
      oldPath = undefined;
      path = undefined;
    } else if (row.startsWith("--- ")) {
      oldPath = row.slice(4).replace(/^a\//, "");
    } else if (row.startsWith("+++ ")) {
      // A deleted file's lines can still be commented on, on the LEFT side, under its old path.
      path = row.slice(4) === "/dev/null" ? oldPath : row.slice(4).replace(/^b\//, "");
    } else {
      const header = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(row);
      if (header) {
        oldLine = Number(header[1]);
        oldLeft = Number(header[2] ?? 1);
        newLine = Number(header[3]);
        newLeft = Number(header[4] ?? 1);
      }
    }
  }
  return accepted;
}

/** A fixture diff from test/fixtures/diffs. */
export function readDiffFixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/diffs/${name}`, import.meta.url), "utf8");
}
