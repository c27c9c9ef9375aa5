import type { Hunk, HunkLine } from "./parse-diff-hunks.js";

/** Room for the line-number columns and markers the prompt adds to every line. */
const PER_LINE_OVERHEAD = 16;
const TRIM_MARKER = " … [line trimmed]";

/**
 * Makes every hunk fit the model's context: a hunk whose text exceeds `maxChars` is split into
 * parts at line boundaries (preferring a cut after an unchanged line), each part noting that it
 * is part N of M; a single line longer than the budget is trimmed, with a note. Parts keep the
 * original line numbers, so a comment on a part lands on the right line of the original hunk.
 */
export function splitOversizedHunks(params: { hunks: Hunk[]; maxChars: number }): Hunk[] {
  return params.hunks.flatMap((hunk) => splitHunk(hunk, params.maxChars));
}

function lineSize(line: HunkLine): number {
  return line.content.length + PER_LINE_OVERHEAD;
}

function splitHunk(hunk: Hunk, maxChars: number): Hunk[] {
  const total = hunk.lines.reduce((sum, line) => sum + lineSize(line), 0);
  if (total <= maxChars) return [hunk];

  let trimmedAny = false;
  const lines = hunk.lines.map((line) => {
    if (lineSize(line) <= maxChars) return line;
    trimmedAny = true;
    const keep = Math.max(0, maxChars - PER_LINE_OVERHEAD - TRIM_MARKER.length);
    return { ...line, content: line.content.slice(0, keep) + TRIM_MARKER };
  });

  const groups = groupLines(lines, maxChars).filter((group) =>
    group.some((line) => line.kind !== "context"),
  );
  const trimNote = trimmedAny ? "; over-long lines were trimmed" : "";
  if (groups.length === 1) {
    return [{ ...hunk, lines: groups[0] ?? [], note: `This hunk was trimmed to fit${trimNote}.` }];
  }
  return groups.map((group, i) => ({
    ...hunk,
    ...partHeader(hunk, group),
    lines: group,
    part: i + 1,
    note: `Part ${i + 1} of ${groups.length} of a ${hunk.lines.length}-line hunk${trimNote}.`,
  }));
}

function groupLines(lines: HunkLine[], maxChars: number): HunkLine[][] {
  const groups: HunkLine[][] = [];
  let current: HunkLine[] = [];
  let size = 0;
  for (const line of lines) {
    if (current.length > 0 && size + lineSize(line) > maxChars) {
      const cut = preferredCut(current);
      groups.push(current.slice(0, cut));
      current = current.slice(cut);
      size = current.reduce((sum, kept) => sum + lineSize(kept), 0);
    }
    current.push(line);
    size += lineSize(line);
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

// Cutting right after an unchanged line keeps a change and its surroundings together; only look
// back over the second half so parts stay reasonably full.
function preferredCut(lines: HunkLine[]): number {
  for (let i = lines.length - 1; i >= Math.ceil(lines.length / 2); i--) {
    if (lines[i]?.kind === "context") return i + 1;
  }
  return lines.length;
}

function firstNumber(lines: HunkLine[], side: "old" | "new"): number | undefined {
  for (const line of lines) {
    if (side === "old" && line.kind !== "add") return line.oldLine;
    if (side === "new" && line.kind !== "del") return line.newLine;
  }
  return undefined;
}

// A part gets its own `@@ -a,b +c,d @@` header so the rendered prompt stays a valid hunk; the
// section heading (e.g. the enclosing function) is kept from the original header.
function partHeader(
  hunk: Hunk,
  lines: HunkLine[],
): { header: string; oldStart: number; newStart: number } {
  const oldStart = firstNumber(lines, "old") ?? hunk.oldStart;
  const newStart = firstNumber(lines, "new") ?? hunk.newStart;
  const oldCount = lines.filter((line) => line.kind !== "add").length;
  const newCount = lines.filter((line) => line.kind !== "del").length;
  const section = /^@@ [^@]* @@(.*)$/.exec(hunk.header)?.[1] ?? "";
  return {
    header: `@@ -${oldStart},${oldCount} +${newStart},${newCount} @@${section}`,
    oldStart,
    newStart,
  };
}
