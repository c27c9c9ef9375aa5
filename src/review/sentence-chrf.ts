/** Character n-gram orders and recall weight of chrF (Popović 2015; sacrebleu's defaults). */
export const CHRF_ORDER = 6;
export const CHRF_BETA = 2;

function charNgrams(chars: readonly string[], order: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let start = 0; start + order <= chars.length; start++) {
    const gram = chars.slice(start, start + order).join("");
    counts.set(gram, (counts.get(gram) ?? 0) + 1);
  }
  return counts;
}

/**
 * Sentence-level chrF of `hypothesis` against one `reference`, 0–100: character n-grams of orders
 * 1–6 with whitespace removed (as sacrebleu's CHRF), precision and recall averaged over the orders
 * both texts reach, then F-β with β = 2 (recall weighs more). 0 when either text is empty.
 */
export function sentenceChrf(hypothesis: string, reference: string): number {
  // Code points, as Python counts characters.
  const hyp = Array.from(hypothesis.replace(/\s+/g, ""));
  const ref = Array.from(reference.replace(/\s+/g, ""));
  let precisionSum = 0;
  let recallSum = 0;
  let orders = 0;
  for (let order = 1; order <= CHRF_ORDER; order++) {
    const hypGrams = charNgrams(hyp, order);
    const refGrams = charNgrams(ref, order);
    const hypTotal = Math.max(0, hyp.length - order + 1);
    const refTotal = Math.max(0, ref.length - order + 1);
    if (hypTotal === 0 || refTotal === 0) break;
    let matches = 0;
    for (const [gram, count] of hypGrams) matches += Math.min(count, refGrams.get(gram) ?? 0);
    precisionSum += matches / hypTotal;
    recallSum += matches / refTotal;
    orders++;
  }
  if (orders === 0) return 0;
  const precision = precisionSum / orders;
  const recall = recallSum / orders;
  if (precision === 0 && recall === 0) return 0;
  const beta2 = CHRF_BETA * CHRF_BETA;
  return (100 * (1 + beta2) * precision * recall) / (beta2 * precision + recall);
}
