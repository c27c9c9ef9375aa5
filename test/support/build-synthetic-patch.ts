/**
 * Synthetic C source files and their unified-diff patches, in the shape GitHub's
 * `GET /pulls/{n}/files` returns (`patch`: hunks only, no `diff --git` header, no trailing
 * newline), with every hunk line's old and new line numbers, so a generated review comment can
 * sit on a line exactly as GitHub anchors one (its `diff_hunk` ends on the commented line).
 */

/** A seeded pseudo-random source (mulberry32): the same seed gives the same history. */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(probability: number): boolean;
}

export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: (items) => {
      const item = items[int(0, items.length - 1)];
      if (item === undefined) throw new Error("pick from an empty list");
      return item;
    },
    chance: (probability) => next() < probability,
  };
}

const NOUNS = ["buffer", "count", "entry", "table", "scalar", "point", "field", "state", "item"];
const VERBS = ["init", "update", "clear", "check", "load", "store", "verify", "merge", "scan"];
const TYPES = ["int", "size_t", "uint32_t", "uint64_t", "unsigned char"];

/** One C function of 6-11 lines, with names drawn from small word lists. */
function writeFunction(random: Random, module: string): string[] {
  const name = `${module}_${random.pick(VERBS)}_${random.pick(NOUNS)}`;
  const type = random.pick(TYPES);
  const noun = random.pick(NOUNS);
  const body = [
    `static int ${name}(${module}_ctx *ctx, const ${type} *${noun}, size_t n) {`,
    "    size_t i;",
    `    ${type} acc = 0;`,
    `    VERIFY_CHECK(ctx != NULL);`,
    "    for (i = 0; i < n; i++) {",
    `        acc += ${noun}[i];`,
  ];
  if (random.chance(0.5)) body.push(`        ctx->${random.pick(NOUNS)}[i] = acc;`);
  body.push("    }");
  if (random.chance(0.5)) body.push(`    ctx->${random.pick(NOUNS)}_len = n;`);
  body.push(`    return acc != 0;`, "}", "");
  return body;
}

/** A C file of `functions` functions after a short header. */
export function writeSourceFile(params: {
  random: Random;
  module: string;
  functions: number;
}): string[] {
  const lines = [
    "/***********************************************************************",
    ` * ${params.module}: synthetic source for tests                          *`,
    " ***********************************************************************/",
    "",
    `#include "${params.module}.h"`,
    "",
  ];
  for (let index = 0; index < params.functions; index++) {
    lines.push(...writeFunction(params.random, params.module));
  }
  return lines;
}

/** What happens at a changed line: a rename, a check or a comment before it, or its removal. */
function changeLine(random: Random, line: string): { removed: string[]; added: string[] } {
  const indent = /^\s*/.exec(line)?.[0] ?? "";
  const renamed = line.replace(/\bacc\b/g, "sum").replace(/\bn\b/, "len");
  return random.pick([
    () =>
      renamed === line
        ? { removed: [], added: [`${indent}VERIFY_CHECK(n > 0);`] }
        : { removed: [line], added: [renamed] },
    () => ({ removed: [], added: [`${indent}VERIFY_CHECK(n <= SIZE_MAX / 2);`] }),
    () => ({
      removed: [],
      added: [`${indent}/* ${random.pick(NOUNS)} stays in range: checked by the caller */`],
    }),
    () => ({ removed: [line], added: [] }),
  ])();
}

export interface PatchLine {
  kind: " " | "+" | "-";
  text: string;
  /** Line number in the old file (context and deleted lines). */
  oldLine: number | null;
  /** Line number in the new file (context and added lines). */
  newLine: number | null;
}

export interface PatchHunk {
  header: string;
  lines: PatchLine[];
}

export interface SyntheticFile {
  filename: string;
  status: "modified" | "added";
  hunks: PatchHunk[];
  additions: number;
  deletions: number;
}

const CONTEXT = 3;

/**
 * Changes `edits` lines of `oldLines`, at least 2 × CONTEXT + 2 lines apart so each is its own
 * hunk with three lines of context on each side, as `git diff` writes them.
 */
export function changeFile(params: {
  random: Random;
  filename: string;
  oldLines: readonly string[];
  edits: number;
}): SyntheticFile {
  const { random, oldLines } = params;
  const spacing = 2 * CONTEXT + 2;
  const positions: number[] = [];
  let candidate = random.int(CONTEXT + 4, CONTEXT + 10);
  while (positions.length < params.edits && candidate < oldLines.length - CONTEXT - 1) {
    if (!oldLines[candidate]?.trim().endsWith(";")) {
      candidate += 1;
      continue;
    }
    positions.push(candidate);
    candidate += spacing + random.int(0, 12);
  }
  const hunks: PatchHunk[] = [];
  let offset = 0;
  let additions = 0;
  let deletions = 0;
  for (const at of positions) {
    const { removed, added } = changeLine(random, oldLines[at] ?? "");
    const start = Math.max(0, at - CONTEXT);
    const end = Math.min(oldLines.length, at + removed.length + CONTEXT);
    const lines: PatchLine[] = [];
    for (let index = start; index < at; index++) {
      lines.push({
        kind: " ",
        text: oldLines[index] ?? "",
        oldLine: index + 1,
        newLine: index + 1 + offset,
      });
    }
    removed.forEach((text, index) => {
      lines.push({ kind: "-", text, oldLine: at + index + 1, newLine: null });
    });
    added.forEach((text, index) => {
      lines.push({ kind: "+", text, oldLine: null, newLine: at + 1 + offset + index });
    });
    const shift = added.length - removed.length;
    for (let index = at + removed.length; index < end; index++) {
      lines.push({
        kind: " ",
        text: oldLines[index] ?? "",
        oldLine: index + 1,
        newLine: index + 1 + offset + shift,
      });
    }
    const oldCount = end - start;
    const newCount = oldCount + shift;
    const section = oldLines
      .slice(0, start)
      .reverse()
      .find((line) => line.startsWith("static "));
    hunks.push({
      header: `@@ -${start + 1},${oldCount} +${start + 1 + offset},${newCount} @@${section ? ` ${section}` : ""}`,
      lines,
    });
    offset += shift;
    additions += added.length;
    deletions += removed.length;
  }
  return { filename: params.filename, status: "modified", hunks, additions, deletions };
}

/** A new file: one hunk of added lines. */
export function addFile(params: { filename: string; lines: readonly string[] }): SyntheticFile {
  return {
    filename: params.filename,
    status: "added",
    hunks: [
      {
        header: `@@ -0,0 +1,${params.lines.length} @@`,
        lines: params.lines.map((text, index) => ({
          kind: "+",
          text,
          oldLine: null,
          newLine: index + 1,
        })),
      },
    ],
    additions: params.lines.length,
    deletions: 0,
  };
}

const renderLine = (line: PatchLine) => `${line.kind}${line.text}`;

/** The file's `patch` as GitHub's files listing gives it. */
export function renderPatch(file: SyntheticFile): string {
  return file.hunks.flatMap((hunk) => [hunk.header, ...hunk.lines.map(renderLine)]).join("\n");
}

/** GitHub's `diff_hunk` of a comment on line `lineIndex` of `hunk`: up to and including it. */
export function renderDiffHunk(hunk: PatchHunk, lineIndex: number): string {
  return [hunk.header, ...hunk.lines.slice(0, lineIndex + 1).map(renderLine)].join("\n");
}
