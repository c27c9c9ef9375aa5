/**
 * One hunk of a unified diff, in the neutral shape every stage shares: the history collector
 * builds it from GitHub's `diffHunk` / file patches, the review stage from parse-diff chunks.
 * Line numbers are 1-based, as GitHub's `line` / `original_line` are.
 */
export type HunkLine =
  | { kind: "add"; newLine: number; content: string }
  | { kind: "del"; oldLine: number; content: string }
  | { kind: "context"; oldLine: number; newLine: number; content: string };

/** A hunk: its `@@ -a,b +c,d @@ section` header line and its lines, without the diff marker. */
export type DiffHunk = {
  header: string;
  oldStart: number;
  newStart: number;
  lines: HunkLine[];
};

/** The side a review comment targets, in GitHub's words: LEFT is the old file, RIGHT the new one. */
export type DiffSide = "LEFT" | "RIGHT";

/** The side and line a comment on this hunk line would use (GitHub's `side` + `line`). */
export function lineTarget(line: HunkLine): { side: DiffSide; line: number } {
  return line.kind === "del"
    ? { side: "LEFT", line: line.oldLine }
    : { side: "RIGHT", line: line.newLine };
}
