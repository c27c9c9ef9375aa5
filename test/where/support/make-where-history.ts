import type { Hunk } from "../../../src/review/parse-diff-hunks.js";
import type { WhereHistory, WherePull } from "../../../src/where/where-history.js";

/** A hunk adding `adds` lines (and deleting `dels`) with the given words on each changed line. */
export function makeHunk(params: {
  path: string;
  indexInFile?: number;
  adds: number;
  dels?: number;
  context?: number;
  words?: string[];
  start?: number;
}): Hunk {
  const start = params.start ?? 10 + (params.indexInFile ?? 0) * 40;
  const words = params.words ?? ["value"];
  const lines: Hunk["lines"] = [];
  let oldLine = start;
  let newLine = start;
  for (let index = 0; index < (params.context ?? 2); index += 1) {
    lines.push({ kind: "context", oldLine: oldLine++, newLine: newLine++, content: "  keep();" });
  }
  for (let index = 0; index < (params.dels ?? 0); index += 1) {
    lines.push({
      kind: "del",
      oldLine: oldLine++,
      content: `  old_${words[index % words.length]}();`,
    });
  }
  for (let index = 0; index < params.adds; index += 1) {
    lines.push({
      kind: "add",
      newLine: newLine++,
      content: `  ${words[index % words.length]}(x);`,
    });
  }
  return {
    header: `@@ -${start},${oldLine - start} +${start},${newLine - start} @@`,
    oldStart: start,
    newStart: start,
    lines,
    path: params.path,
    oldPath: params.path,
    indexInFile: params.indexInFile ?? 0,
  };
}

const day = 86_400_000;
const at = (dayIndex: number, hour = 0) =>
  new Date(Date.parse("2024-01-01T00:00:00Z") + dayIndex * day + hour * 3_600_000).toISOString();

/**
 * A reviewer who reads `pulls` pull requests, one every two days, each touching a core file
 * (`src/core/engine.c`, big hunks with `secret` words) and a test and a doc file (small hunks).
 * They comment, a day after the pull request opens, on the core hunks that add more than
 * `threshold` lines, and on nothing in every `silentEvery`-th pull request.
 */
export function makeWhereHistory(params: {
  pulls: number;
  threshold?: number;
  silentEvery?: number;
}): WhereHistory {
  const threshold = params.threshold ?? 4;
  const pulls: WherePull[] = [];
  const comments: WhereHistory["comments"] = [];
  for (let index = 0; index < params.pulls; index += 1) {
    const createdAt = at(index * 2);
    const silent = params.silentEvery !== undefined && index % params.silentEvery === 0;
    const hunks = [
      makeHunk({ path: "src/core/engine.c", adds: 2 + (index % 6), words: ["secret", "scalar"] }),
      makeHunk({ path: "src/core/engine.c", indexInFile: 1, adds: 1 + ((index * 3) % 7), dels: 1 }),
      makeHunk({ path: "src/tests/engine_test.c", adds: 6, words: ["check", "expect"] }),
      makeHunk({ path: "doc/usage.md", adds: 3 + (index % 2), words: ["the", "usage"] }),
    ];
    const number = 100 + index;
    pulls.push({
      number,
      createdAt,
      hunks: hunks.map((hunk) => {
        const adds = hunk.lines.filter((line) => line.kind === "add").length;
        const commented = !silent && hunk.path.startsWith("src/core/") && adds > threshold;
        const commentTimes = commented ? [at(index * 2 + 1, hunk.indexInFile)] : [];
        for (const time of commentTimes)
          comments.push({ pullNumber: number, path: hunk.path, createdAt: time });
        return { hunk, commentTimes };
      }),
    });
  }
  return { pulls, comments };
}
