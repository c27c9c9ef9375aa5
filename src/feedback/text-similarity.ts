/**
 * Lexical similarity of two review comments: cosine of their word unigram + bigram counts
 * (lowercased; identifiers kept whole; a few function words dropped). No model to load, cheap
 * enough to compare every candidate with a persona's whole history, and its threshold is measured
 * on real review comments (`npm run bench:feedback`, see SUPPRESSION_THRESHOLD).
 */
export type TermVector = Map<string, number>;

const FUNCTION_WORDS = new Set(
  "a an the is are was be to of in on for it this that and or i we you if as at by with".split(" "),
);

export function termVector(text: string): TermVector {
  const words = (text.toLowerCase().match(/[a-z0-9_]+/g) ?? []).filter(
    (word) => !FUNCTION_WORDS.has(word),
  );
  const vector: TermVector = new Map();
  const add = (term: string) => vector.set(term, (vector.get(term) ?? 0) + 1);
  words.forEach((word, index) => {
    add(word);
    const next = words[index + 1];
    if (next !== undefined) add(`${word} ${next}`);
  });
  return vector;
}

export function cosineSimilarity(a: TermVector, b: TermVector): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (const [term, count] of a) {
    normA += count * count;
    dot += count * (b.get(term) ?? 0);
  }
  for (const count of b.values()) normB += count * count;
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}

export function textSimilarity(a: string, b: string): number {
  return cosineSimilarity(termVector(a), termVector(b));
}
