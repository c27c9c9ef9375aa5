import type { TokenLogprob } from "../llm/ask-model-for-hunk.js";

/**
 * How likely the reviewer is to comment on a hunk: 1 − P(the model answers "no comment"), read
 * from the token log-probabilities of the answer it gave. Walking the generated tokens while they
 * still spell the no-comment answer, P(no comment) is the probability of that shared prefix times
 * the probability mass, at the first token where the answers part, of the alternatives that
 * continue the no-comment answer. This is exact for the first diverging token and a close lower
 * bound beyond the top-k alternatives the server returns. Undefined without log-probabilities.
 */
export function scoreHunk(params: {
  tokens: readonly TokenLogprob[] | undefined;
  noCommentAnswer: string;
}): number | undefined {
  const { tokens, noCommentAnswer } = params;
  if (!tokens || tokens.length === 0) return undefined;
  const target = noCommentAnswer.trim();
  let generated = "";
  let prefixLogprob = 0;
  for (const token of tokens) {
    const continuesTarget = (candidate: string) => spellsPrefixOf(generated + candidate, target);
    const massOnTarget = token.topLogprobs
      .filter((alternative) => continuesTarget(alternative.token))
      .reduce((sum, alternative) => sum + Math.exp(alternative.logprob), 0);
    if (!continuesTarget(token.token)) {
      return clamp(1 - Math.exp(prefixLogprob) * massOnTarget);
    }
    generated += token.token;
    prefixLogprob += token.logprob;
    if (generated.trim().startsWith(target)) return clamp(1 - Math.exp(prefixLogprob));
  }
  return clamp(1 - Math.exp(prefixLogprob));
}

// True when `text` (leading whitespace ignored) is a non-empty prefix of `target` or runs past it.
function spellsPrefixOf(text: string, target: string): boolean {
  const trimmed = text.trimStart();
  if (trimmed.length === 0) return text.length > 0;
  return target.startsWith(trimmed) || trimmed.startsWith(target);
}

function clamp(probability: number): number {
  return Math.min(1, Math.max(0, probability));
}
