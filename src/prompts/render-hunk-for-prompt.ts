import { type DiffHunk, type HunkLine, lineTarget } from "./diff-hunk.js";

/**
 * The anchor that names a hunk line in prompts and answers: `R<n>` for line n of the new file
 * (added or unchanged lines), `L<n>` for line n of the old file (deleted lines). It is exactly
 * GitHub's `side` + `line` of a review comment on that line.
 */
export function anchorOf(line: HunkLine): string {
  const target = lineTarget(line);
  return `${target.side === "LEFT" ? "L" : "R"}${target.line}`;
}

const markers = { add: "+", del: "-", context: " " } as const;

/**
 * Renders a hunk for the per-hunk user turn (documented in `prompts/README.md`): the `@@` header
 * line as in the diff, then one row per line: its anchor left-aligned to the widest anchor of the
 * hunk, one space, the diff marker (`+`, `-` or space) and the line's content unchanged.
 *
 * ```text
 * @@ -12,3 +12,3 @@ function total(items) {
 * R12    let sum = 0;
 * L13 -  for (const i of items) sum += i.price;
 * R13 +  for (const item of items) sum += item.price;
 * R14    return sum;
 * ```
 */
export function renderHunkForPrompt(hunk: DiffHunk): string {
  const anchors = hunk.lines.map(anchorOf);
  const width = Math.max(0, ...anchors.map((anchor) => anchor.length));
  const rows = hunk.lines.map(
    (line, index) => `${(anchors[index] ?? "").padEnd(width)} ${markers[line.kind]}${line.content}`,
  );
  return [hunk.header, ...rows].join("\n");
}
