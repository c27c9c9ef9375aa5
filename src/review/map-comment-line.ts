import type { DiffSide } from "../prompts/diff-hunk.js";
import type { DiffFile, Hunk, HunkLine } from "./parse-diff-hunks.js";

export type Side = DiffSide;

/** Where a comment goes, in the terms of GitHub's review comment API. */
export interface CommentPlacement {
  line: number;
  side: Side;
}

/** The line a model's answer aimed at, if it named one. */
export interface AimedLine {
  line: number;
  side?: Side;
}

/**
 * Maps the line a model aimed at onto a line GitHub accepts for this hunk: RIGHT with the new
 * line number for added and unchanged lines, LEFT with the old line number for deleted lines.
 * An answer without a side is tried on the new file first. When the aimed line is not in the
 * hunk (or there is none), the hunk's last changed line is used.
 */
export function mapCommentLine(params: { hunk: Hunk; aimed?: AimedLine | undefined }): {
  placement: CommentPlacement;
  usedFallback: boolean;
} {
  const { hunk, aimed } = params;
  if (aimed) {
    const sides: Side[] = aimed.side ? [aimed.side] : ["RIGHT", "LEFT"];
    for (const side of sides) {
      if (hunk.lines.some((line) => placementOf(line, side) === aimed.line)) {
        return { placement: { line: aimed.line, side }, usedFallback: false };
      }
    }
  }
  return { placement: lastChangedLine(hunk), usedFallback: true };
}

function placementOf(line: HunkLine, side: Side): number | undefined {
  if (side === "RIGHT") return line.kind === "del" ? undefined : line.newLine;
  return line.kind === "del" ? line.oldLine : undefined;
}

/** The last added or deleted line of a hunk; a hunk always has one (context-only parts are dropped). */
export function lastChangedLine(hunk: Hunk): CommentPlacement {
  for (let i = hunk.lines.length - 1; i >= 0; i--) {
    const line = hunk.lines[i];
    if (line?.kind === "add") return { line: line.newLine, side: "RIGHT" };
    if (line?.kind === "del") return { line: line.oldLine, side: "LEFT" };
  }
  throw new Error(`Hunk ${hunk.path}#${hunk.indexInFile} has no changed line to comment on`);
}

/**
 * Every `path:side:line` GitHub accepts an inline comment on in this diff: each line shown in a
 * hunk, added/context on RIGHT by new number, deleted on LEFT by old number.
 */
export function commentableLines(files: readonly DiffFile[]): Set<string> {
  const accepted = new Set<string>();
  for (const file of files) {
    for (const hunk of file.hunks) {
      for (const line of hunk.lines) {
        for (const side of ["RIGHT", "LEFT"] as const) {
          const number = placementOf(line, side);
          if (number !== undefined) accepted.add(placementKey(file.path, { line: number, side }));
        }
      }
    }
  }
  return accepted;
}

/** The key {@link commentableLines} uses for one placement. */
export function placementKey(path: string, placement: CommentPlacement): string {
  return `${path}:${placement.side}:${placement.line}`;
}
