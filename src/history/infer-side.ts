import type { DiffSide } from "../prompts/diff-hunk.js";

/**
 * The side of a review comment, which GitHub's GraphQL API does not expose: a comment's
 * `diffHunk` ends at the line it was left on, so a last line deleted (`-`) means LEFT (the old
 * file); added or unchanged lines mean RIGHT.
 */
export function inferSide(diffHunk: string): DiffSide {
  const lines = diffHunk.replace(/\n+$/, "").split("\n");
  const last = [...lines].reverse().find((line) => !line.startsWith("\\"));
  return last?.startsWith("-") ? "LEFT" : "RIGHT";
}
