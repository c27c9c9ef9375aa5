import { NO_COMMENT } from "../prompts/review-answer.js";
import type { Hunk } from "./parse-diff-hunks.js";
import type { FewShotExample } from "./review-model.js";

const WORD = /[A-Za-z_][A-Za-z0-9_]{2,}/g;

/**
 * The reviewer's past hunks most similar to this one: ranked by word overlap (Jaccard) of the
 * hunk's path and code with each example's user turn. At least one NO_COMMENT example is kept
 * when there is one, so the model sees that letting a hunk pass is an answer too. Cheap and
 * deterministic; enough to show the model what the reviewer reacts to and how they say it.
 */
export function pickFewShotExamples(params: {
  hunk: Hunk;
  examples: readonly FewShotExample[];
  count: number;
}): FewShotExample[] {
  const hunkWords = wordsOf(
    `${params.hunk.path}\n${params.hunk.lines.map((line) => line.content).join("\n")}`,
  );
  const ranked = params.examples
    .map((example, order) => ({
      example,
      order,
      similarity: jaccard(hunkWords, wordsOf(example.user)),
    }))
    .sort((a, b) => b.similarity - a.similarity || a.order - b.order)
    .map(({ example }) => example);
  const picked = ranked.slice(0, params.count);
  const isSilent = (example: FewShotExample) => example.assistant.trim() === NO_COMMENT;
  const silent = ranked.find(isSilent);
  if (silent && params.count > 1 && !picked.some(isSilent)) picked[picked.length - 1] = silent;
  return picked;
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
