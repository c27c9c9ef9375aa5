import type { DiffHunk, HunkLine } from "./diff-hunk.js";

const hunkHeaderPattern = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

/**
 * Parses the hunks of a unified-diff patch without file headers: a GitHub review comment's
 * `diffHunk` (one hunk, cut after the commented line) or a `GET /pulls/{n}/files` `patch`
 * (several hunks). `\ No newline at end of file` markers are dropped (they are not lines).
 *
 * @throws Error when the text does not start with a `@@ -a,b +c,d @@` header.
 */
export function parsePatchHunks(patch: string): DiffHunk[] {
  const hunks: DiffHunk[] = [];
  let current: DiffHunk | undefined;
  let oldLine = 0;
  let newLine = 0;
  const rows = patch.replace(/\r\n/g, "\n").split("\n");
  if (rows.at(-1) === "") rows.pop();
  for (const row of rows) {
    const header = hunkHeaderPattern.exec(row);
    if (header) {
      oldLine = Number(header[1]);
      newLine = Number(header[2]);
      current = { header: row, oldStart: oldLine, newStart: newLine, lines: [] };
      hunks.push(current);
      continue;
    }
    if (!current) {
      throw new Error(
        `Patch does not start with a hunk header "@@ -a,b +c,d @@" (got "${row.slice(0, 40)}"): pass a diff hunk, not a whole file diff with its "diff --git" header`,
      );
    }
    if (row.startsWith("\\")) continue;
    const marker = row[0];
    const content = row.slice(1);
    let line: HunkLine;
    if (marker === "+") line = { kind: "add", newLine: newLine++, content };
    else if (marker === "-") line = { kind: "del", oldLine: oldLine++, content };
    else line = { kind: "context", oldLine: oldLine++, newLine: newLine++, content };
    current.lines.push(line);
  }
  return hunks;
}

/**
 * Parses exactly one hunk (a review comment's `diffHunk`).
 *
 * @throws Error when the text holds no hunk or more than one.
 */
export function parseSingleHunk(text: string): DiffHunk {
  const hunks = parsePatchHunks(text);
  const [hunk] = hunks;
  if (!hunk || hunks.length !== 1) {
    throw new Error(`Expected exactly one diff hunk, found ${hunks.length}`);
  }
  return hunk;
}
