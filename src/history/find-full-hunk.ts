import type { DiffHunk, HunkLine } from "../prompts/diff-hunk.js";

function lineKey(line: HunkLine): string {
  if (line.kind === "add") return `+${line.newLine}`;
  if (line.kind === "del") return `-${line.oldLine}`;
  return ` ${line.oldLine}:${line.newLine}`;
}

/**
 * The whole hunk a review comment's `diffHunk` was cut from, found among a file's current
 * hunks: GitHub cuts `diffHunk` after the commented line, so a model trained on it would learn
 * that comments always target a hunk's last line. A file hunk matches when it holds every line
 * of the cut hunk with the same numbers and text (so outdated comments, whose code changed
 * since, do not match). Returns `undefined` when none does.
 */
export function findFullHunk(cut: DiffHunk, fileHunks: DiffHunk[]): DiffHunk | undefined {
  if (cut.lines.length === 0) return undefined;
  return fileHunks.find((candidate) => {
    if (candidate.lines.length < cut.lines.length) return false;
    const contents = new Map(candidate.lines.map((line) => [lineKey(line), line.content]));
    return cut.lines.every((line) => contents.get(lineKey(line)) === line.content);
  });
}
