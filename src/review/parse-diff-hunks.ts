import parseDiff from "parse-diff";
import type { DiffHunk, HunkLine } from "../prompts/diff-hunk.js";
import { hunkFromParseDiffChunk } from "../prompts/hunk-from-parse-diff-chunk.js";

export type { HunkLine } from "../prompts/diff-hunk.js";

/**
 * One `@@` hunk of one file (or, after splitting, one part of it), in the shape the prompts
 * render (`header`, starts and lines with old/new numbers) plus where it belongs.
 */
export interface Hunk extends DiffHunk {
  /** The file's path in the PR's head (for renames the new name). */
  path: string;
  /** The file's path in the base; differs from `path` only for renames. */
  oldPath: string;
  /** Position of the hunk in its file, from 0; with `part` it identifies the hunk in the PR. */
  indexInFile: number;
  /** Set when a large hunk was split or trimmed: says so to the model and in the status. */
  note?: string;
  /** 1-based part number when a large hunk was split. */
  part?: number;
}

export type DiffFileStatus = "added" | "deleted" | "renamed" | "modified";

/** One file of a unified diff. */
export interface DiffFile {
  path: string;
  oldPath: string;
  status: DiffFileStatus;
  /** True for `Binary files … differ` and `GIT binary patch` sections. */
  binary: boolean;
  hunks: Hunk[];
}

const FILE_SECTION_START = /^diff --git /m;
const BINARY_MARKER = /^(Binary files .* differ|GIT binary patch)$/m;

/**
 * Parses a unified diff (`git diff` / GitHub's `.diff` media type) into files and hunks with
 * old/new line numbers. `\ No newline at end of file` pseudo-lines are dropped; they are not
 * lines GitHub can comment on.
 */
export function parseDiffHunks(diffText: string): DiffFile[] {
  // Parse file by file so each file keeps its own header lines (binary markers, renames).
  const sections = splitIntoFileSections(diffText);
  return sections.flatMap((section) => {
    const parsed = parseDiff(section);
    return parsed.map((file) => toDiffFile(file, BINARY_MARKER.test(section)));
  });
}

function splitIntoFileSections(diffText: string): string[] {
  const starts: number[] = [];
  const pattern = new RegExp(FILE_SECTION_START.source, "gm");
  for (let match = pattern.exec(diffText); match; match = pattern.exec(diffText)) {
    starts.push(match.index);
  }
  if (starts.length === 0) return diffText.trim() ? [diffText] : [];
  return starts.map((start, i) => diffText.slice(start, starts[i + 1] ?? diffText.length));
}

function toDiffFile(file: parseDiff.File, binary: boolean): DiffFile {
  const deleted = file.deleted === true || file.to === "/dev/null";
  const added = file.new === true || file.from === "/dev/null";
  const path = (deleted ? file.from : file.to) ?? file.from ?? "";
  const oldPath = (added ? file.to : file.from) ?? path;
  const status: DiffFileStatus = deleted
    ? "deleted"
    : added
      ? "added"
      : oldPath !== path
        ? "renamed"
        : "modified";
  return {
    path,
    oldPath,
    status,
    binary,
    hunks: file.chunks.map((chunk, indexInFile) => ({
      ...hunkFromParseDiffChunk(chunk),
      path,
      oldPath,
      indexInFile,
    })),
  };
}

/** Lines a hunk changes (added or deleted), in order. */
export function changedLines(hunk: Hunk): HunkLine[] {
  return hunk.lines.filter((line) => line.kind !== "context");
}
