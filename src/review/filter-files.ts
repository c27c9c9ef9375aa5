import picomatch from "picomatch";
import type { DiffFile } from "./parse-diff-hunks.js";

/**
 * Files nobody reviews line by line: lock files, vendored code and build output. A repository
 * adds its own globs in `.github/tech-lead-bot.yml` (`review.ignore`).
 */
export const DEFAULT_IGNORE_GLOBS: readonly string[] = [
  // lock files
  "**/package-lock.json",
  "**/npm-shrinkwrap.json",
  "**/yarn.lock",
  "**/pnpm-lock.yaml",
  "**/bun.lockb",
  "**/Cargo.lock",
  "**/Gemfile.lock",
  "**/composer.lock",
  "**/poetry.lock",
  "**/Pipfile.lock",
  "**/uv.lock",
  "**/go.sum",
  "**/*.lock",
  // vendored
  "**/vendor/**",
  "**/third_party/**",
  "**/third-party/**",
  "**/node_modules/**",
  // generated
  "**/dist/**",
  "**/build/**",
  "**/*.min.js",
  "**/*.min.css",
  "**/*.map",
  "**/*.generated.*",
  "**/*.pb.go",
  "**/*_pb2.py",
  "**/__snapshots__/**",
  "**/*.snap",
];

export type SkipReason = "binary" | "deleted" | "no text change" | "ignored by glob";

/** A file left out of the review, and why (for the status comment). */
export interface SkippedFile {
  path: string;
  reason: SkipReason;
}

/**
 * Splits the diff's files into those the reviewer reads and those skipped: binary files,
 * deleted files, pure renames, and paths matching the default or repository ignore globs.
 */
export function filterFiles(params: { files: DiffFile[]; extraIgnoreGlobs: readonly string[] }): {
  kept: DiffFile[];
  skipped: SkippedFile[];
} {
  const isIgnored = picomatch([...DEFAULT_IGNORE_GLOBS, ...params.extraIgnoreGlobs], { dot: true });
  const kept: DiffFile[] = [];
  const skipped: SkippedFile[] = [];
  for (const file of params.files) {
    const reason = skipReason(file, isIgnored);
    if (reason) skipped.push({ path: file.path, reason });
    else kept.push(file);
  }
  return { kept, skipped };
}

function skipReason(file: DiffFile, isIgnored: (path: string) => boolean): SkipReason | undefined {
  if (file.binary) return "binary";
  if (file.status === "deleted") return "deleted";
  if (isIgnored(file.path)) return "ignored by glob";
  if (file.hunks.length === 0) return "no text change";
  return undefined;
}
