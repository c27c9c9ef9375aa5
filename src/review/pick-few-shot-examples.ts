import type { Hunk } from "./parse-diff-hunks.js";
import type { FewShotExample } from "./review-model.js";

const WORD = /[A-Za-z_][A-Za-z0-9_]{2,}/g;

/**
 * The reviewer's past comments most similar to a hunk: ranked by word overlap (Jaccard) of the
 * hunk's path and code with each example's, with a small bonus for the same file extension.
 * Cheap and deterministic; good enough to show the model the kind of code the reviewer reacts to.
 */
export function pickFewShotExamples(params: {
  hunk: Hunk;
  examples: readonly FewShotExample[];
  count: number;
}): FewShotExample[] {
  const hunkWords = wordsOf(
    `${params.hunk.path}\n${params.hunk.lines.map((l) => l.content).join("\n")}`,
  );
  const extension = extensionOf(params.hunk.path);
  return params.examples
    .map((example, order) => {
      const exampleWords = wordsOf(`${example.path}\n${example.diffHunk}`);
      const similarity =
        jaccard(hunkWords, exampleWords) + (extensionOf(example.path) === extension ? 0.05 : 0);
      return { example, order, similarity };
    })
    .sort((a, b) => b.similarity - a.similarity || a.order - b.order)
    .slice(0, params.count)
    .map(({ example }) => example);
}

function wordsOf(text: string): Set<string> {
  return new Set((text.match(WORD) ?? []).map((word) => word.toLowerCase()));
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const word of a) if (b.has(word)) shared++;
  return shared / (a.size + b.size - shared);
}

function extensionOf(path: string): string {
  const dot = path.lastIndexOf(".");
  return dot > path.lastIndexOf("/") ? path.slice(dot) : "";
}
