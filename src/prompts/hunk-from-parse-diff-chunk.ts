import type parseDiff from "parse-diff";
import type { DiffHunk, HunkLine } from "./diff-hunk.js";

/**
 * Converts a parse-diff chunk into the shared {@link DiffHunk} shape. parse-diff reports
 * `\ No newline at end of file` as an extra change line; it is dropped here.
 */
export function hunkFromParseDiffChunk(chunk: parseDiff.Chunk): DiffHunk {
  const lines: HunkLine[] = [];
  for (const change of chunk.changes) {
    if (change.content.startsWith("\\")) continue;
    const content = change.content.slice(1);
    if (change.type === "add") lines.push({ kind: "add", newLine: change.ln, content });
    else if (change.type === "del") lines.push({ kind: "del", oldLine: change.ln, content });
    else lines.push({ kind: "context", oldLine: change.ln1, newLine: change.ln2, content });
  }
  return { header: chunk.content, oldStart: chunk.oldStart, newStart: chunk.newStart, lines };
}
